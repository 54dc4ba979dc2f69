#include "service/storage/pg_submission_store.h"

#include "pqxx/pqxx"
#include "service/storage/keyed_lookup.h"
#include "service/storage/submission_sql.h"

namespace comments::storage {
absl::StatusOr<int64_t> PgSubmissionStore::CountApprovedByAuthor(
    const std::vector<std::string>& email_hashes, std::string_view author_name,
    absl::Time deadline) {
  int64_t count = 0;
  absl::Status status = pool_->InTransaction(deadline, [&](pqxx::work& txn) {
    count = txn.exec_prepared1(Prepared(txn, sql::kCountApprovedByAuthor),
                               HashListParameter(email_hashes),
                               std::string(author_name))[0]
                .as<int64_t>();
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return count;
}

absl::StatusOr<int64_t> PgSubmissionStore::PruneLimits(absl::Time idle_before,
                                                       int max_rows,
                                                       absl::Time deadline) {
  int64_t deleted = 0;
  absl::Status status = pool_->InTransaction(deadline, [&](pqxx::work& txn) {
    deleted = static_cast<int64_t>(
        txn.exec_prepared(Prepared(txn, sql::kPruneSubmissionLimits),
                          absl::ToUnixMicros(idle_before), max_rows)
            .affected_rows());
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return deleted;
}

}  // namespace comments::storage
