#include "service/storage/insert_batcher.h"

#include <algorithm>
#include <utility>

#include "pqxx/pqxx"
#include "service/storage/db_errors.h"

namespace comments::storage {

InsertBatcher::InsertBatcher(ConnectionPool* pool, InsertFn insert,
                             InsertBatcherOptions options)
    : pool_(pool), insert_(std::move(insert)), options_(options) {}

absl::StatusOr<CreateResult> InsertBatcher::Insert(const NewComment& comment,
                                                   absl::Time deadline) {
  Pending pending{&comment, deadline, absl::UnknownError("not written")};
  absl::MutexLock lock(&mu_);
  queue_.push_back(&pending);
  Waiter waiter{this, &pending};
  while (true) {
    // Wakes only this caller: when its batch is written, or when it is
    // first in line and a batch slot is free. Waking every waiter on every
    // commit would cost more context switches than the inserts themselves.
    mu_.Await(absl::Condition(&InsertBatcher::DoneOrFirstInLine, &waiter));
    if (pending.done) break;
    // Lead a batch of everything queued, oldest (this caller) first.
    std::vector<Pending*> batch;
    while (!queue_.empty() &&
           static_cast<int>(batch.size()) < options_.max_batch) {
      batch.push_back(queue_.front());
      queue_.pop_front();
    }
    ++active_batches_;
    mu_.Unlock();
    WriteBatch(batch);
    mu_.Lock();
    --active_batches_;
    for (Pending* written : batch) written->done = true;
  }
  return std::move(pending.result);
}

bool InsertBatcher::DoneOrFirstInLine(Waiter* waiter) {
  InsertBatcher& self = *waiter->batcher;
  return waiter->pending->done ||
         (!self.queue_.empty() && self.queue_.front() == waiter->pending &&
          self.active_batches_ < self.options_.max_concurrent_batches);
}

bool InsertBatcher::AwaitQueueDepth(int depth, absl::Duration timeout) {
  absl::MutexLock lock(&mu_);
  auto deep_enough = [this, depth]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return static_cast<int>(queue_.size()) >= depth;
  };
  return mu_.AwaitWithTimeout(absl::Condition(&deep_enough), timeout);
}

void InsertBatcher::WriteBatch(const std::vector<Pending*>& batch) {
  absl::Status status = WriteTogether(batch);
  if (status.ok()) return;
  const bool retry_alone = batch.size() > 1 &&
                           status.code() != absl::StatusCode::kUnavailable &&
                           status.code() != absl::StatusCode::kDeadlineExceeded;
  for (Pending* pending : batch) {
    if (!retry_alone) {
      pending->result = status;
      continue;
    }
    // One comment of the batch broke it; find out which by writing each
    // on its own.
    absl::Status alone =
        pool_->InTransaction(pending->deadline, [&](pqxx::work& txn) {
          pending->result = insert_(txn, *pending->comment);
          return pending->result.status();
        });
    if (!alone.ok()) pending->result = alone;
  }
}

absl::Status InsertBatcher::WriteTogether(const std::vector<Pending*>& batch) {
  // The statement timeout must let the slowest-deadline caller finish;
  // callers with earlier deadlines stop waiting on their own.
  absl::Time deadline = absl::InfinitePast();
  for (const Pending* pending : batch) {
    deadline = std::max(deadline, pending->deadline);
  }
  return pool_->InTransaction(deadline, [&](pqxx::work& txn) {
    for (Pending* pending : batch) {
      pending->result = insert_(txn, *pending->comment);
    }
    // A single comment's refusal rolls back as before; in a batch the
    // refused comments wrote nothing (InsertFn's contract), so the rest
    // commit.
    if (batch.size() == 1) return batch.front()->result.status();
    return absl::OkStatus();
  });
}

}  // namespace comments::storage
