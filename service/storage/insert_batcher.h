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
// If a batch's transaction fails for a reason other than the database being
// unreachable, its comments are written again one per transaction, so one
// bad comment never fails the others.
#ifndef COMMENTS_SERVICE_STORAGE_INSERT_BATCHER_H_
#define COMMENTS_SERVICE_STORAGE_INSERT_BATCHER_H_

#include <deque>
#include <functional>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "pqxx/transaction_base"
#include "service/storage/comment_repository.h"
#include "service/storage/connection_pool.h"

namespace comments::storage {

struct InsertBatcherOptions {
  int max_batch = 64;
  // Batches written at the same time; each holds a pool connection.
  int max_concurrent_batches = 2;
};

class InsertBatcher {
 public:
  // Writes one comment in `txn`. Contract: a non-OK status is returned only
  // before anything was written, so the other comments of the batch can
  // still commit; database errors are thrown, not returned.
  using InsertFn = std::function<absl::StatusOr<CreateResult>(
      pqxx::transaction_base& txn, const NewComment& comment)>;

  InsertBatcher(ConnectionPool* pool, InsertFn insert,
                InsertBatcherOptions options = {});

  // Blocks until the comment's batch has committed (or failed).
  absl::StatusOr<CreateResult> Insert(const NewComment& comment,
                                      absl::Time deadline);

  // Waits until at least `depth` comments are queued behind running batches,
  // or `timeout` passes; returns whether they are. For tests that need a
  // batch of known composition.
  bool AwaitQueueDepth(int depth, absl::Duration timeout);

 private:
  struct Pending {
    const NewComment* comment;
    absl::Time deadline;
    absl::StatusOr<CreateResult> result;
    bool done = false;
  };

  struct Waiter {
    InsertBatcher* batcher;
    Pending* pending;
  };
  // Evaluated by absl::Mutex with mu_ held.
  static bool DoneOrFirstInLine(Waiter* waiter) ABSL_NO_THREAD_SAFETY_ANALYSIS;

  void WriteBatch(const std::vector<Pending*>& batch);
  absl::Status WriteTogether(const std::vector<Pending*>& batch);

  ConnectionPool* pool_;  // not owned
  const InsertFn insert_;
  const InsertBatcherOptions options_;

  absl::Mutex mu_;
  std::deque<Pending*> queue_ ABSL_GUARDED_BY(mu_);
  int active_batches_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace comments::storage

#endif  // COMMENTS_SERVICE_STORAGE_INSERT_BATCHER_H_
