// SubmissionStore on PostgreSQL.
#ifndef COMMENTS_SERVICE_STORAGE_PG_SUBMISSION_STORE_H_
#define COMMENTS_SERVICE_STORAGE_PG_SUBMISSION_STORE_H_

#include <string>
#include <utility>
#include <vector>

#include "service/storage/connection_pool.h"
#include "service/storage/submission_store.h"

namespace comments::storage {

class PgSubmissionStore final : public SubmissionStore {
 public:
  explicit PgSubmissionStore(ConnectionPool* pool) : pool_(pool) {}

  absl::StatusOr<int64_t> CountApprovedByAuthor(
      const std::vector<std::string>& email_hashes,
      std::string_view author_name, absl::Time deadline) override;
  absl::StatusOr<int64_t> PruneLimits(absl::Time idle_before, int max_rows,
                                      absl::Time deadline) override;

 private:
  ConnectionPool* pool_;  // not owned
};

}  // namespace comments::storage

#endif  // COMMENTS_SERVICE_STORAGE_PG_SUBMISSION_STORE_H_
