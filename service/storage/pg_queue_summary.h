// QueueSummaryReader on PostgreSQL: one autocommit read over the index of
// comments by state.
#ifndef COMMENTS_SERVICE_STORAGE_PG_QUEUE_SUMMARY_H_
#define COMMENTS_SERVICE_STORAGE_PG_QUEUE_SUMMARY_H_

#include "service/storage/connection_pool.h"
#include "service/storage/queue_summary.h"

namespace comments::storage {

class PgQueueSummaryReader final : public QueueSummaryReader {
 public:
  explicit PgQueueSummaryReader(ConnectionPool* pool) : pool_(pool) {}

  absl::StatusOr<QueueSummary> ReadQueueSummary(absl::Time deadline) override;

 private:
  ConnectionPool* pool_;  // not owned
};

}  // namespace comments::storage

#endif  // COMMENTS_SERVICE_STORAGE_PG_QUEUE_SUMMARY_H_
