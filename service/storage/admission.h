// Applies an AdmissionCheck (admission_check.h) inside the transaction that
// inserts the comment, so nothing is stored unless every check passes, and
// concurrent submissions cannot all pass together:
//   1. the limit rows of the current keys are locked, in key order (no
//      deadlocks), and read together with the rows of the same keys under
//      older hash keys; a second submission from the same network or
//      mailbox waits for the first to commit or roll back, on any replica;
//   2. a request_id already stored passes at once: the insert then returns
//      the original comment (or REQUEST_ID_REUSED), so a retry is never
//      refused by the limits its own first attempt set;
//   3. a client network over its limit is RESOURCE_EXHAUSTED carrying the
//      facts (domain/error.h) reason kRateLimited, the retry delay and the
//      network's limits, with no message (the API layer words it):
//      the only refusal, and it depends on the caller's own traffic alone;
//   4. a body already stored on the thread, and a mailbox over its
//      interval, are findings (domain/admission_findings.h) that flag or
//      hold the comment, never refuse it, so the answer to a guessed
//      address is the answer to any other;
//   5. the new limit state is written and the insert goes ahead.
#ifndef COMMENTS_SERVICE_STORAGE_ADMISSION_H_
#define COMMENTS_SERVICE_STORAGE_ADMISSION_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "pqxx/row"
#include "pqxx/transaction"
#include "service/domain/admission_findings.h"
#include "service/domain/flood_control.h"
#include "service/storage/comment_record.h"

namespace comments::storage {

// Runs the checks of `comment.admission` (which must be set) in `txn`.
// OK means: insert it, with the findings applied. Errors are returned as
// statuses; libpqxx exceptions propagate to the pool, which maps them.
absl::StatusOr<domain::AdmissionFindings> Admit(pqxx::transaction_base& txn,
                                                const NewComment& comment);

// A limit row's state from its columns `first` (last accepted, in
// microseconds since the epoch; NULL: never) and `first` + 1 (tokens).
domain::LimitState ReadLimitState(const pqxx::row& row, int first);

// Step 3's refusal of a network over its limits: the facts alone (which
// limits, how long to wait); the API layer words them for the caller.
absl::Status NetworkRefusal(const domain::FloodPolicy& policy,
                            absl::Duration retry_after);

}  // namespace comments::storage

#endif  // COMMENTS_SERVICE_STORAGE_ADMISSION_H_
