// CommentRepository on PostgreSQL.
#ifndef COMMENTS_SERVICE_STORAGE_PG_COMMENT_REPOSITORY_H_
#define COMMENTS_SERVICE_STORAGE_PG_COMMENT_REPOSITORY_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "service/storage/comment_repository.h"
#include "service/storage/connection_pool.h"
#include "service/storage/insert_batcher.h"

namespace comments::storage {

class PgCommentRepository final : public CommentRepository {
 public:
  // Concurrent Create calls are written in shared transactions
  // (insert_batcher.h).
  // Writes one comment in `txn`: admission checks, then the insert, or the
  // stored comment for a repeated request_id. An InsertBatcher::InsertFn:
  // a refusal is returned, a database error thrown; either way the batch
  // rolls back what it wrote.
  static absl::StatusOr<CreateResult> InsertInTransaction(
      pqxx::transaction_base& txn, const NewComment& comment);
  // Writes a batch in a few set-based statements (batch_admission.h, then
  // one insert), deciding as InsertInTransaction would one after the other.
  // An InsertBatcher::InsertTogetherFn: one result per comment, in order;
  // none for a comment to write alone with InsertInTransaction (a request_id
  // already stored, or twice in the batch).
  static std::vector<std::optional<absl::StatusOr<CreateResult>>>
  InsertTogetherInTransaction(pqxx::transaction_base& txn,
                              const std::vector<const NewComment*>& batch);

  explicit PgCommentRepository(ConnectionPool* pool,
                               InsertBatcherOptions batching = {});

  absl::StatusOr<CreateResult> Create(const NewComment& comment,
                                      absl::Time deadline) override;
  absl::StatusOr<CommentRecord> Get(std::string_view id,
                                    absl::Time deadline) override;
  absl::StatusOr<std::vector<CommentRecord>> ListApproved(
      std::string_view thread, int64_t after_seq, int limit,
      absl::Time deadline) override;
  absl::StatusOr<std::vector<int64_t>> CountApproved(
      const std::vector<std::string>& threads, absl::Time deadline) override;
  absl::StatusOr<bool> IsApprovedInThread(std::string_view id,
                                          std::string_view thread,
                                          absl::Time deadline) override;

 private:
  ConnectionPool* pool_;  // not owned
  InsertBatcher inserts_;
};

}  // namespace comments::storage

#endif  // COMMENTS_SERVICE_STORAGE_PG_COMMENT_REPOSITORY_H_
