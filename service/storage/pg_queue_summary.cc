#include "service/storage/pg_queue_summary.h"

#include "pqxx/pqxx"
#include "service/storage/moderation_sql.h"

namespace comments::storage {

absl::StatusOr<QueueSummary> PgQueueSummaryReader::ReadQueueSummary(
    absl::Time deadline) {
  QueueSummary summary;
  absl::Status read =
      pool_->Read(deadline, [&summary](pqxx::transaction_base& txn) {
        const pqxx::row row =
            txn.exec_prepared1(Prepared(txn, sql::kQueueSummary));
        summary.pending = row[0].as<int64_t>();
        summary.oldest_pending_age = absl::Microseconds(row[1].as<int64_t>());
        return absl::OkStatus();
      });
  if (!read.ok()) return read;
  return summary;
}

}  // namespace comments::storage
