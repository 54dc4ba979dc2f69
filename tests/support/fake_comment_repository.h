// An in-memory CommentRepository for unit tests of the use cases, with no
// database. Create behaves as PgCommentRepository does where the use cases
// can tell: a repeated request_id replays (or REQUEST_ID_REUSED), and a
// planned AdmissionCheck runs before the insert: the network refused with
// RESOURCE_EXHAUSTED (reason RATE_LIMITED), a repeated body and a mailbox
// over its interval applied as findings (domain/admission_findings.h).
// Unlike PostgreSQL it reads limit rows under the current hash key only.
// Every call fails with the status given to FailWith, until Recover.
// Safe to use from several threads.
#ifndef COMMENTS_TESTS_SUPPORT_FAKE_COMMENT_REPOSITORY_H_
#define COMMENTS_TESTS_SUPPORT_FAKE_COMMENT_REPOSITORY_H_

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "service/common/clock.h"
#include "service/domain/admission_findings.h"
#include "service/domain/error.h"
#include "service/domain/flood_control.h"
#include "service/storage/comment_repository.h"

namespace comments::testing {

class FakeCommentRepository final : public storage::CommentRepository {
 public:
  // A stored comment with the keyed hashes it was inserted with.
  struct Row {
    storage::CommentRecord record;
    std::string email_hash;
    std::string body_hash;
    std::string request_id;
    std::string request_fingerprint;
  };

  absl::StatusOr<storage::CreateResult> Create(
      const storage::NewComment& comment, absl::Time deadline) override {
    absl::MutexLock lock(&mu_);
    if (absl::Status failed = Called(deadline); !failed.ok()) return failed;
    planned_.push_back(comment);
    if (!comment.request_id.empty()) {
      for (const Row& row : rows_) {
        if (row.request_id != comment.request_id) continue;
        if (IsSameRequest(row.request_fingerprint, comment)) {
          return storage::CreateResult{row.record, false};
        }
        return domain::WithReason(
            absl::Status(absl::StatusCode::kAlreadyExists, ""),
            domain::ErrorReason::kRequestIdReused);
      }
    }
    domain::CommentState state = comment.state;
    std::vector<std::string> flags = comment.flags;
    if (comment.admission.has_value()) {
      absl::StatusOr<domain::AdmissionFindings> findings =
          Admit(comment.thread, *comment.admission);
      if (!findings.ok()) return findings.status();
      domain::ApplyAdmissionFindings(*findings, &state, &flags);
    }
    Row row;
    row.record.seq = static_cast<int64_t>(rows_.size()) + 1;
    row.record.id = comment.id;
    row.record.thread = comment.thread;
    row.record.author_name = comment.author_name;
    row.record.author_url = comment.author_url;
    row.record.body = comment.body;
    row.record.reply_to_id = comment.reply_to_id;
    row.record.state = state;
    row.record.email_ciphertext = comment.email_ciphertext;
    row.record.client_ip = comment.client_ip;
    row.record.user_agent = comment.user_agent;
    row.record.flags = std::move(flags);
    row.email_hash = comment.email_hash;
    row.body_hash = comment.body_hash;
    row.request_fingerprint = comment.request_fingerprint;
    row.request_id = comment.request_id;
    rows_.push_back(row);
    return storage::CreateResult{row.record, true};
  }

  absl::StatusOr<storage::CommentRecord> Get(std::string_view id,
                                             absl::Time deadline) override {
    absl::MutexLock lock(&mu_);
    if (absl::Status failed = Called(deadline); !failed.ok()) return failed;
    for (const Row& row : rows_) {
      if (row.record.id == id) return row.record;
    }
    return absl::NotFoundError("comment not found");
  }

  absl::StatusOr<std::vector<storage::CommentRecord>> ListApproved(
      std::string_view thread, int64_t after_seq, int limit,
      absl::Time deadline) override {
    absl::MutexLock lock(&mu_);
    if (absl::Status failed = Called(deadline); !failed.ok()) return failed;
    std::vector<storage::CommentRecord> records;
    for (const Row& row : rows_) {
      if (static_cast<int>(records.size()) == limit) break;
      if (row.record.thread == thread && row.record.seq > after_seq &&
          row.record.state == domain::CommentState::kApproved) {
        records.push_back(row.record);
      }
    }
    return records;
  }

  absl::StatusOr<std::vector<int64_t>> CountApproved(
      const std::vector<std::string>& threads, absl::Time deadline) override {
    absl::MutexLock lock(&mu_);
    if (absl::Status failed = Called(deadline); !failed.ok()) return failed;
    std::vector<int64_t> counts;
    for (const std::string& thread : threads) {
      counts.push_back(
          std::count_if(rows_.begin(), rows_.end(), [&](const Row& row) {
            return row.record.thread == thread &&
                   row.record.state == domain::CommentState::kApproved;
          }));
    }
    return counts;
  }

  absl::StatusOr<bool> IsApprovedInThread(std::string_view id,
                                          std::string_view thread,
                                          absl::Time deadline) override {
    absl::MutexLock lock(&mu_);
    if (absl::Status failed = Called(deadline); !failed.ok()) return failed;
    for (const Row& row : rows_) {
      if (row.record.id == id) {
        return row.record.thread == thread &&
               row.record.state == domain::CommentState::kApproved;
      }
    }
    return false;
  }

  // What a moderator's decision would do; false when there is no such row.
  bool SetState(std::string_view id, domain::CommentState state) {
    absl::MutexLock lock(&mu_);
    for (Row& row : rows_) {
      if (row.record.id == id) {
        row.record.state = state;
        return true;
      }
    }
    return false;
  }

  // APPROVED rows with one of `email_hashes` and exactly `author_name`.
  int64_t CountApprovedByAuthor(const std::vector<std::string>& email_hashes,
                                std::string_view author_name) const {
    absl::MutexLock lock(&mu_);
    return std::count_if(rows_.begin(), rows_.end(), [&](const Row& row) {
      return row.record.state == domain::CommentState::kApproved &&
             row.record.author_name == author_name &&
             std::find(email_hashes.begin(), email_hashes.end(),
                       row.email_hash) != email_hashes.end();
    });
  }

  // Forgets up to `max_rows` limit rows last accepted before `idle_before`.
  int64_t ForgetIdleLimits(absl::Time idle_before, int max_rows) {
    absl::MutexLock lock(&mu_);
    int64_t forgotten = 0;
    for (auto it = limits_.begin();
         it != limits_.end() && forgotten < max_rows;) {
      if (it->second.last_accepted.value_or(absl::InfinitePast()) <
          idle_before) {
        it = limits_.erase(it);
        ++forgotten;
      } else {
        ++it;
      }
    }
    return forgotten;
  }

  // Every later call fails with `status`, until Recover.
  void FailWith(absl::Status status) {
    absl::MutexLock lock(&mu_);
    failure_ = std::move(status);
  }
  void Recover() {
    absl::MutexLock lock(&mu_);
    failure_.reset();
  }

  // Every NewComment handed to Create, as it was handed (findings not
  // applied), replays and refusals included.
  std::vector<storage::NewComment> planned() const {
    absl::MutexLock lock(&mu_);
    return planned_;
  }
  std::vector<Row> rows() const {
    absl::MutexLock lock(&mu_);
    return rows_;
  }
  size_t limit_rows() const {
    absl::MutexLock lock(&mu_);
    return limits_.size();
  }
  int calls() const {
    absl::MutexLock lock(&mu_);
    return calls_;
  }
  absl::Time last_deadline() const {
    absl::MutexLock lock(&mu_);
    return last_deadline_;
  }

 private:
  absl::Status Called(absl::Time deadline) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    ++calls_;
    last_deadline_ = deadline;
    return failure_.value_or(absl::OkStatus());
  }

  static bool IsSameRequest(const std::string& stored,
                            const storage::NewComment& comment) {
    if (stored == comment.request_fingerprint) return true;
    const std::vector<std::string>& older = comment.older_request_fingerprints;
    return std::find(older.begin(), older.end(), stored) != older.end();
  }

  absl::StatusOr<domain::AdmissionFindings> Admit(
      const std::string& thread, const storage::AdmissionCheck& check)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    const absl::Time now =
        (check.clock != nullptr ? *check.clock : SystemClock()).Now();
    std::optional<domain::LimitVerdict> network;
    if (check.network.has_value()) {
      network = domain::CheckLimit(check.policy, limits_[check.network->key],
                                   /*with_bucket=*/true, now);
      if (!network->allowed) {
        return domain::WithReason(
            absl::Status(absl::StatusCode::kResourceExhausted, ""),
            domain::ErrorReason::kRateLimited);
      }
    }
    domain::AdmissionFindings findings;
    for (const Row& row : rows_) {
      if (row.record.thread == thread &&
          std::find(check.body_hashes.begin(), check.body_hashes.end(),
                    row.body_hash) != check.body_hashes.end()) {
        findings.duplicate_body = true;
      }
    }
    if (network.has_value()) limits_[check.network->key] = network->next;
    if (check.mailbox.has_value()) {
      const domain::LimitVerdict mailbox =
          domain::CheckLimit(check.policy, limits_[check.mailbox->key],
                             /*with_bucket=*/false, now);
      if (mailbox.allowed) {
        limits_[check.mailbox->key] = mailbox.next;
      } else {
        findings.mailbox_over_limit = true;
      }
    }
    return findings;
  }

  mutable absl::Mutex mu_;
  std::vector<Row> rows_ ABSL_GUARDED_BY(mu_);
  std::vector<storage::NewComment> planned_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, domain::LimitState> limits_ ABSL_GUARDED_BY(mu_);
  std::optional<absl::Status> failure_ ABSL_GUARDED_BY(mu_);
  int calls_ ABSL_GUARDED_BY(mu_) = 0;
  absl::Time last_deadline_ ABSL_GUARDED_BY(mu_);
};

}  // namespace comments::testing

#endif  // COMMENTS_TESTS_SUPPORT_FAKE_COMMENT_REPOSITORY_H_
