// Groups concurrent comment inserts into one transaction (group commit).
//
// Under load, the cost of a submission is its commit: one WAL flush. Callers
// that arrive while a batch is being written queue up, and the next free
// caller takes everything queued (up to max_batch) and writes it in one
// transaction, so many submissions share one flush. Each caller is answered
// only after the commit that holds its row, so an acknowledged comment is
// durable. Without contention a batch is one comment and nothing is delayed:
// no timer waits for company.
//
// A batch of several is written together, by set-based statements that
// decide for each comment as if it were written alone (InsertTogetherFn): a
// refusal fails its comment alone. When a statement of it fails (one
// comment's bad data, a deadlock), the transaction rolls back and the batch
// is written again one comment at a time, each inside its own savepoint: a
// comment that fails then (a refusal returned, or a database error thrown)
// rolls back to its savepoint and fails alone, while the others of the batch
// commit once, in the same transaction, and are never written again. Only a
// failure of the transaction itself (lost connection, failed commit) fails
// them all.
//
// Deadlines. A caller never waits past its deadline:
//   - still queued, or in a batch whose writer has not reached its comment:
//     DEADLINE_EXCEEDED, and the comment is not written;
//   - its comment is being written or awaits the commit: DEADLINE_EXCEEDED
//     saying that the comment may have been stored. A retry with the same
//     request_id is then safe: it returns the stored comment, or stores it
//     once if it was not.
// The caller that writes a batch answers when the batch has committed; its
// statements are bounded by the latest deadline of the batch.
#ifndef COMMENTS_SERVICE_STORAGE_INSERT_BATCHER_H_
#define COMMENTS_SERVICE_STORAGE_INSERT_BATCHER_H_

#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "pqxx/transaction_base"
#include "service/storage/comment_repository.h"
#include "service/storage/connection_pool.h"

namespace comments::storage {

// Hears of every batch written, for its metrics; called on the writing
// caller's thread, without the batcher's lock.
class BatchObserver {
 public:
  virtual ~BatchObserver() = default;
  // `size`: the comments the batch took from the queue, whatever became of
  // each.
  virtual void OnBatchWritten(int size) = 0;
};

struct InsertBatcherOptions {
  int max_batch = 64;
  // Batches written at the same time; each holds a pool connection.
  int max_concurrent_batches = 2;
  // Not owned; must outlive the batcher. None when null.
  BatchObserver* observer = nullptr;
};

class InsertBatcher {
 public:
  // Writes one comment in `txn`. It may fail either way, by returning a
  // non-OK status or by throwing a libpqxx exception: both roll back what it
  // wrote and fail its comment alone.
  using InsertFn = std::function<absl::StatusOr<CreateResult>(
      pqxx::transaction_base& txn, const NewComment& comment)>;

  // Writes several comments in `txn` at once: one result per comment, in
  // order; none for a comment to be written alone with InsertFn, in its
  // savepoint, after the others. Throws (a libpqxx exception) when a
  // statement fails: the batch is then written one by one.
  using InsertTogetherFn =
      std::function<std::vector<std::optional<absl::StatusOr<CreateResult>>>(
          pqxx::transaction_base& txn,
          const std::vector<const NewComment*>& comments)>;

  // Without `insert_together`, every comment is written with `insert`.
  InsertBatcher(ConnectionPool* pool, InsertFn insert,
                InsertBatcherOptions options = {});
  InsertBatcher(ConnectionPool* pool, InsertFn insert,
                InsertTogetherFn insert_together,
                InsertBatcherOptions options = {});

  // Blocks until the comment's batch has committed (or failed), or until
  // `deadline` (see the header comment for what the answer then means).
  absl::StatusOr<CreateResult> Insert(const NewComment& comment,
                                      absl::Time deadline);

  // Waits until at least `depth` comments are queued behind running batches,
  // or `timeout` passes; returns whether they are. For tests that need a
  // batch of known composition.
  bool AwaitQueueDepth(int depth, absl::Duration timeout);

 private:
  // Shared by the caller and the batch's writer, so that a caller may stop
  // waiting while its batch is still being written.
  struct Pending {
    NewComment comment;
    absl::Time deadline;
    absl::StatusOr<CreateResult> result = absl::UnknownError("not written");
    bool started = false;       // the writer has begun to write it
    bool abandoned = false;     // the caller left before that: never write it
    bool failed_alone = false;  // its own write failed and was rolled back
    bool done = false;          // `result` is final
  };

  struct Waiter {
    InsertBatcher* batcher;
    Pending* pending;
  };
  // Evaluated by absl::Mutex with mu_ held.
  static bool DoneOrFirstInLine(Waiter* waiter) ABSL_NO_THREAD_SAFETY_ANALYSIS;

  // The answer to a caller whose deadline passed before its result was
  // final; mu_ held.
  absl::Status GiveUp(Pending& pending) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void WriteBatch(const std::vector<std::shared_ptr<Pending>>& batch);
  // The set-based write of a batch of several; a status for the
  // transaction, as InTransaction's body returns it.
  absl::Status WriteTogether(
      pqxx::work& txn, const std::vector<std::shared_ptr<Pending>>& batch);
  // One comment after the other, each in a savepoint unless it is alone.
  absl::Status WriteOneByOne(
      pqxx::work& txn, const std::vector<std::shared_ptr<Pending>>& batch);
  // Marks `pending` started unless its caller has left; returns whether it
  // should be written.
  bool Start(Pending& pending);
  void WriteOne(pqxx::transaction_base& txn, Pending& pending);
  void WriteInSavepoint(pqxx::work& txn, Pending& pending);

  ConnectionPool* pool_;  // not owned
  const InsertFn insert_;
  const InsertTogetherFn insert_together_;  // may be empty
  const InsertBatcherOptions options_;

  absl::Mutex mu_;
  std::deque<std::shared_ptr<Pending>> queue_ ABSL_GUARDED_BY(mu_);
  int active_batches_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace comments::storage

#endif  // COMMENTS_SERVICE_STORAGE_INSERT_BATCHER_H_
