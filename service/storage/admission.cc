#include "service/storage/admission.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "pqxx/binarystring"
#include "pqxx/pqxx"
#include "service/common/error_details.h"
#include "service/domain/flood_control.h"
#include "service/storage/submission_sql.h"

namespace comments::storage {
namespace {

constexpr char kLockLimit[] = "admission_lock_limit";
constexpr char kSaveLimit[] = "admission_save_limit";
constexpr char kStoredRequestAndDuplicate[] = "admission_stored_checks";

pqxx::binarystring Bytes(const std::string& bytes) {
  return pqxx::binarystring(bytes.data(), bytes.size());
}

domain::LimitState ReadLimitState(const pqxx::row& row) {
  domain::LimitState state;
  if (!row[0].is_null()) {
    state.last_accepted = absl::FromUnixMicros(row[0].as<int64_t>());
  }
  state.tokens = row[1].as<double>();
  return state;
}

// The limits that apply to `key`, for QuotaFailure.description.
std::string DescribeLimit(const LimitKey& key,
                          const domain::FloodPolicy& policy) {
  std::vector<std::string> limits;
  if (policy.min_interval > absl::ZeroDuration()) {
    limits.push_back(absl::StrCat("at most one comment every ",
                                  absl::FormatDuration(policy.min_interval)));
  }
  if (key.token_bucket && policy.bucket_burst > 0) {
    limits.push_back(absl::StrCat(
        "at most ", policy.bucket_burst, " comments in a burst, then ",
        policy.bucket_refill_per_minute, " per minute"));
  }
  return absl::StrJoin(limits, "; ");
}

}  // namespace

std::vector<std::pair<std::string, std::string>> AdmissionStatements() {
  return {{kLockLimit, sql::kLockSubmissionLimit},
          {kSaveLimit, sql::kSaveSubmissionLimit},
          {kStoredRequestAndDuplicate, sql::kStoredRequestAndDuplicate}};
}

absl::Status Admit(pqxx::transaction_base& txn, const NewComment& comment) {
  const AdmissionCheck& check = *comment.admission;

  // 1. Lock in one global order, so two submissions sharing both keys
  // cannot each hold one and wait for the other.
  std::vector<const LimitKey*> keys;
  keys.reserve(check.limits.size());
  for (const LimitKey& key : check.limits) keys.push_back(&key);
  std::sort(keys.begin(), keys.end(), [](const LimitKey* a, const LimitKey* b) {
    return a->key < b->key;
  });
  std::vector<domain::LimitState> states;
  states.reserve(keys.size());
  for (const LimitKey* key : keys) {
    states.push_back(
        ReadLimitState(txn.exec_prepared1(kLockLimit, Bytes(key->key))));
  }

  // 2. A retry of a stored request is the insert's to answer.
  // 3. Serialised with other submissions of the same author by the email
  // key's row lock, so two concurrent duplicates cannot both pass.
  const bool check_duplicates = check.reject_duplicates &&
                                !comment.email_hash.empty() &&
                                !comment.body_hash.empty();
  const pqxx::row stored = txn.exec_prepared1(
      kStoredRequestAndDuplicate, comment.request_id, Bytes(comment.email_hash),
      comment.thread, Bytes(comment.body_hash), check_duplicates);
  if (stored[0].as<bool>()) return absl::OkStatus();
  if (stored[1].as<bool>()) {
    return WithErrorInfo(
        absl::AlreadyExistsError(
            "the same comment was already submitted to this thread"),
        "DUPLICATE_COMMENT");
  }

  // 4. Every key decides; the longest wait is the one to report.
  const absl::Time now =
      (check.clock != nullptr ? *check.clock : SystemClock()).Now();
  std::vector<domain::LimitVerdict> verdicts;
  verdicts.reserve(keys.size());
  const LimitKey* refused = nullptr;
  absl::Duration retry_after = absl::ZeroDuration();
  for (size_t i = 0; i < keys.size(); ++i) {
    verdicts.push_back(domain::CheckLimit(check.policy, states[i],
                                          keys[i]->token_bucket, now));
    if (!verdicts.back().allowed && verdicts.back().retry_after > retry_after) {
      retry_after = verdicts.back().retry_after;
      refused = keys[i];
    }
  }
  if (refused != nullptr) {
    absl::Status status = absl::ResourceExhaustedError(
        "too many comments; wait before submitting again");
    status = WithRetryDelay(std::move(status), retry_after);
    status = WithQuotaFailure(std::move(status), refused->subject,
                              DescribeLimit(*refused, check.policy));
    return WithErrorInfo(std::move(status), "RATE_LIMITED");
  }

  // 5. The caller's insert follows in this transaction; if it fails, this
  // rolls back with it.
  for (size_t i = 0; i < keys.size(); ++i) {
    const domain::LimitState& next = verdicts[i].next;
    txn.exec_prepared0(kSaveLimit, Bytes(keys[i]->key),
                       absl::ToUnixMicros(*next.last_accepted), next.tokens);
  }
  return absl::OkStatus();
}

}  // namespace comments::storage
