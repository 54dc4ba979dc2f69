// Applies an AdmissionCheck (admission_check.h) inside the transaction that
// inserts the comment, so nothing is stored unless every check passes, and
// concurrent submissions cannot all pass together:
//   1. the limit rows of every key are locked, in key order (no deadlocks);
//      a second submission for the same email or IP waits for the first to
//      commit or roll back, on any replica;
//   2. a request_id already stored passes at once: the insert then returns
//      the original comment (or REQUEST_ID_REUSED), so a retry is never
//      refused by the limits its own first attempt set;
//   3. a duplicate (same thread, email hash and body hash) is ALREADY_EXISTS
//      with reason DUPLICATE_COMMENT;
//   4. a key over its limit is RESOURCE_EXHAUSTED with RetryInfo (the longest
//      wait of all keys), QuotaFailure (that key's subject) and ErrorInfo
//      reason RATE_LIMITED;
//   5. otherwise the new limit state is written and the insert goes ahead.
#ifndef COMMENTS_SERVICE_STORAGE_ADMISSION_H_
#define COMMENTS_SERVICE_STORAGE_ADMISSION_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "pqxx/transaction"
#include "service/storage/comment_record.h"

namespace comments::storage {

// The statements Admit runs, for PoolOptions::prepared_statements.
std::vector<std::pair<std::string, std::string>> AdmissionStatements();

// Runs the checks of `comment.admission` (which must be set) in `txn`.
// OK means: insert it. Errors are returned as statuses; libpqxx exceptions
// propagate to the pool, which maps them.
absl::Status Admit(pqxx::transaction_base& txn, const NewComment& comment);

}  // namespace comments::storage

#endif  // COMMENTS_SERVICE_STORAGE_ADMISSION_H_
