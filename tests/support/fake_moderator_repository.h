// An in-memory ModeratorRepository for tests that need moderators but no
// database: accounts by token hash, and a status every lookup fails with
// when set.
#ifndef COMMENTS_TESTS_SUPPORT_FAKE_MODERATOR_REPOSITORY_H_
#define COMMENTS_TESTS_SUPPORT_FAKE_MODERATOR_REPOSITORY_H_

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "service/storage/moderator_repository.h"

namespace comments::testing {

class FakeModeratorRepository final : public storage::ModeratorRepository {
 public:
  absl::StatusOr<storage::ModeratorRecord> Add(std::string_view name,
                                               std::string_view token_hash,
                                               absl::Time deadline) override {
    if (accounts_.count(std::string(token_hash)) > 0) {
      return absl::AlreadyExistsError("moderator exists");
    }
    Account& account = accounts_[std::string(token_hash)];
    account.record.name = std::string(name);
    return account.record;
  }

  absl::StatusOr<std::vector<storage::ModeratorRecord>> List(
      absl::Time deadline) override {
    std::vector<storage::ModeratorRecord> records;
    for (const auto& [hash, account] : accounts_) {
      records.push_back(account.record);
    }
    return records;
  }

  absl::StatusOr<storage::ModeratorRecord> Revoke(
      std::string_view name, absl::Time deadline) override {
    for (auto& [hash, account] : accounts_) {
      if (account.record.name == name) {
        account.revoked = true;
        return account.record;
      }
    }
    return absl::NotFoundError("no such moderator");
  }

  absl::StatusOr<std::optional<std::string>> FindActive(
      std::string_view token_hash, absl::Time deadline) override {
    ++lookups_;
    last_deadline_ = deadline;
    if (failure_.has_value()) return *failure_;
    auto it = accounts_.find(std::string(token_hash));
    if (it == accounts_.end() || it->second.revoked) return std::nullopt;
    return it->second.record.name;
  }

  // Every later lookup fails with `status`.
  void FailWith(absl::Status status) { failure_ = std::move(status); }
  int lookups() const { return lookups_; }
  absl::Time last_deadline() const { return last_deadline_; }

 private:
  struct Account {
    storage::ModeratorRecord record;
    bool revoked = false;
  };
  std::map<std::string, Account> accounts_;
  std::optional<absl::Status> failure_;
  int lookups_ = 0;
  absl::Time last_deadline_;
};

}  // namespace comments::testing

#endif  // COMMENTS_TESTS_SUPPORT_FAKE_MODERATOR_REPOSITORY_H_
