#include "service/storage/pg_submission_store.h"

#include "pqxx/pqxx"
#include "service/storage/keyed_lookup.h"
#include "service/storage/submission_sql.h"

namespace comments::storage {
namespace {

constexpr char kCountApprovedByAuthor[] = "submission_count_approved_by_author";
constexpr char kPruneLimits[] = "submission_prune_limits";

}  // namespace

std::vector<std::pair<std::string, std::string>>
PgSubmissionStore::PreparedStatements() {
  return {{kCountApprovedByAuthor, sql::kCountApprovedByAuthor},
          {kPruneLimits, sql::kPruneSubmissionLimits}};
}

absl::StatusOr<int64_t> PgSubmissionStore::CountApprovedByAuthor(
    const std::vector<std::string>& email_hashes, std::string_view author_name,
    absl::Time deadline) {
  int64_t count = 0;
  absl::Status status = pool_->InTransaction(deadline, [&](pqxx::work& txn) {
    count = txn.exec_prepared1(kCountApprovedByAuthor,
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
        txn.exec_prepared(kPruneLimits, absl::ToUnixMicros(idle_before),
                          max_rows)
            .affected_rows());
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return deleted;
}

}  // namespace comments::storage
