// An in-memory SubmissionStore over a FakeCommentRepository, for unit tests
// of the submission use case and the flood-row pruner: the author history
// is counted from the fake's rows, a prune forgets the fake's idle limit
// rows, and every call is recorded. Failures are injected per method.
// Safe to use from several threads (the pruner calls from its own).
#ifndef COMMENTS_TESTS_SUPPORT_FAKE_SUBMISSION_STORE_H_
#define COMMENTS_TESTS_SUPPORT_FAKE_SUBMISSION_STORE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "service/storage/submission_store.h"
#include "tests/support/fake_comment_repository.h"

namespace comments::testing {

class FakeSubmissionStore final : public storage::SubmissionStore {
 public:
  struct Prune {
    absl::Time idle_before;
    int max_rows = 0;
    absl::Time deadline;
  };

  // `comments` is not owned and must outlive the store.
  explicit FakeSubmissionStore(FakeCommentRepository* comments)
      : comments_(comments) {}

  absl::StatusOr<int64_t> CountApprovedByAuthor(
      const std::vector<std::string>& email_hashes,
      std::string_view author_name, absl::Time deadline) override {
    absl::MutexLock lock(&mu_);
    ++history_reads_;
    if (history_failure_.has_value()) return *history_failure_;
    return comments_->CountApprovedByAuthor(email_hashes, author_name);
  }

  absl::StatusOr<int64_t> PruneLimits(absl::Time idle_before, int max_rows,
                                      absl::Time deadline) override {
    absl::MutexLock lock(&mu_);
    prunes_.push_back({idle_before, max_rows, deadline});
    if (prune_failure_.has_value()) return *prune_failure_;
    return comments_->ForgetIdleLimits(idle_before, max_rows);
  }

  // Later author-history reads fail with `status`.
  void FailHistoryWith(absl::Status status) {
    absl::MutexLock lock(&mu_);
    history_failure_ = std::move(status);
  }
  // Later prunes fail with `status`.
  void FailPrunesWith(absl::Status status) {
    absl::MutexLock lock(&mu_);
    prune_failure_ = std::move(status);
  }

  int history_reads() const {
    absl::MutexLock lock(&mu_);
    return history_reads_;
  }
  std::vector<Prune> prunes() const {
    absl::MutexLock lock(&mu_);
    return prunes_;
  }
  // Blocks until `count` prunes have run or `timeout` has passed; whether
  // they had. Waits for an event, never a fixed time.
  bool WaitForPrunes(size_t count, absl::Duration timeout) const {
    absl::MutexLock lock(&mu_);
    auto reached = [this, count]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return prunes_.size() >= count;
    };
    return mu_.AwaitWithTimeout(absl::Condition(&reached), timeout);
  }

 private:
  FakeCommentRepository* comments_;
  mutable absl::Mutex mu_;
  int history_reads_ ABSL_GUARDED_BY(mu_) = 0;
  std::vector<Prune> prunes_ ABSL_GUARDED_BY(mu_);
  std::optional<absl::Status> history_failure_ ABSL_GUARDED_BY(mu_);
  std::optional<absl::Status> prune_failure_ ABSL_GUARDED_BY(mu_);
};

}  // namespace comments::testing

#endif  // COMMENTS_TESTS_SUPPORT_FAKE_SUBMISSION_STORE_H_
