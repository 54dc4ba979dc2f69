#include "service/storage/admission.h"

#include <algorithm>
#include <optional>
#include <utility>
#include <vector>

#include "pqxx/binarystring"
#include "pqxx/pqxx"
#include "service/domain/error.h"
#include "service/domain/flood_control.h"
#include "service/storage/keyed_lookup.h"
#include "service/storage/submission_sql.h"

namespace comments::storage {
namespace {

// Locks the row of `key` and returns its state, made stricter by what the
// older hash keys stored for the same sender.
domain::LimitState LockLimit(pqxx::transaction_base& txn, const LimitKey& key) {
  const pqxx::row row =
      txn.exec_prepared1(Prepared(txn, sql::kLockSubmissionLimit),
                         Bytes(key.key), HashListParameter(key.older_keys));
  return domain::Stricter(ReadLimitState(row, 0), ReadLimitState(row, 2));
}

// One key of the submission while its row is locked.
struct LockedLimit {
  const LimitKey* key;
  bool network;
  domain::LimitState state;
};

}  // namespace

domain::LimitState ReadLimitState(const pqxx::row& row, int first) {
  domain::LimitState state;
  if (!row[first].is_null()) {
    state.last_accepted = absl::FromUnixMicros(row[first].as<int64_t>());
    state.tokens = row[first + 1].as<double>();
  }
  return state;
}

absl::Status NetworkRefusal(const domain::FloodPolicy& policy,
                            absl::Duration retry_after) {
  domain::ErrorFacts facts;
  facts.reason = domain::ErrorReason::kRateLimited;
  facts.retry_delay = retry_after;
  facts.quota = domain::QuotaViolation{domain::QuotaSubject::kClientNetwork,
                                       policy.min_interval, policy.bucket_burst,
                                       policy.bucket_refill_per_minute};
  return domain::WithFacts(
      absl::Status(absl::StatusCode::kResourceExhausted, ""), facts);
}

absl::StatusOr<domain::AdmissionFindings> Admit(pqxx::transaction_base& txn,
                                                const NewComment& comment) {
  const AdmissionCheck& check = *comment.admission;

  // 1. Lock in one global order, so two submissions sharing both keys
  // cannot each hold one and wait for the other.
  std::vector<LockedLimit> limits;
  if (check.network.has_value()) limits.push_back({&*check.network, true, {}});
  if (check.mailbox.has_value()) limits.push_back({&*check.mailbox, false, {}});
  std::sort(limits.begin(), limits.end(),
            [](const LockedLimit& a, const LockedLimit& b) {
              return a.key->key < b.key->key;
            });
  for (LockedLimit& limit : limits) limit.state = LockLimit(txn, *limit.key);

  // 2. A retry of a stored request is the insert's to answer.
  const pqxx::row stored = txn.exec_prepared1(
      Prepared(txn, sql::kStoredRequestAndDuplicate), comment.request_id,
      comment.thread, HashListParameter(check.body_hashes));
  domain::AdmissionFindings findings;
  if (stored[0].as<bool>()) return findings;

  // 3. The caller's network decides first, and alone; nothing about the
  // author's address can come before it.
  const absl::Time now =
      (check.clock != nullptr ? *check.clock : SystemClock()).Now();
  std::vector<domain::LimitVerdict> verdicts;
  verdicts.reserve(limits.size());
  for (const LockedLimit& limit : limits) {
    verdicts.push_back(domain::CheckLimit(check.policy, limit.state,
                                          /*with_bucket=*/limit.network, now));
    if (limit.network && !verdicts.back().allowed) {
      return NetworkRefusal(check.policy, verdicts.back().retry_after);
    }
  }

  // 4. What is found about the sender flags or holds the comment.
  findings.duplicate_body = stored[1].as<bool>();
  for (size_t i = 0; i < limits.size(); ++i) {
    if (!limits[i].network && !verdicts[i].allowed) {
      findings.mailbox_over_limit = true;
    }
  }

  // 5. The caller's insert follows in this transaction; if it fails, this
  // rolls back with it. A mailbox over its limit keeps its state, so the
  // interval runs from its last comment that was within it.
  for (size_t i = 0; i < limits.size(); ++i) {
    if (!verdicts[i].allowed) continue;
    const domain::LimitState& next = verdicts[i].next;
    txn.exec_prepared0(Prepared(txn, sql::kSaveSubmissionLimit),
                       Bytes(limits[i].key->key),
                       absl::ToUnixMicros(*next.last_accepted), next.tokens);
  }
  return findings;
}

}  // namespace comments::storage
