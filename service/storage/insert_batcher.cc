#include "service/storage/insert_batcher.h"

#include <algorithm>
#include <utility>

#include "absl/time/clock.h"
#include "pqxx/pqxx"
#include "pqxx/subtransaction"
#include "service/storage/db_errors.h"

namespace comments::storage {
namespace {

absl::Status NotStored() {
  return absl::DeadlineExceededError(
      "the deadline passed before the comment was written; it was not "
      "stored");
}

absl::Status MaybeStored() {
  return absl::DeadlineExceededError(
      "the deadline passed while the comment was being stored; it may have "
      "been stored: retry with the same request_id");
}

}  // namespace

InsertBatcher::InsertBatcher(ConnectionPool* pool, InsertFn insert,
                             InsertBatcherOptions options)
    : InsertBatcher(pool, std::move(insert), nullptr, options) {}

InsertBatcher::InsertBatcher(ConnectionPool* pool, InsertFn insert,
                             InsertTogetherFn insert_together,
                             InsertBatcherOptions options)
    : pool_(pool),
      insert_(std::move(insert)),
      insert_together_(std::move(insert_together)),
      options_(options) {}

absl::StatusOr<CreateResult> InsertBatcher::Insert(const NewComment& comment,
                                                   absl::Time deadline) {
  auto pending = std::make_shared<Pending>();
  pending->comment = comment;
  pending->deadline = deadline;
  absl::MutexLock lock(&mu_);
  queue_.push_back(pending);
  Waiter waiter{this, pending.get()};
  while (true) {
    // Wakes only this caller: when its batch is written, when it is first in
    // line and a batch slot is free, or at its deadline. Waking every waiter
    // on every commit would cost more context switches than the inserts
    // themselves.
    if (!mu_.AwaitWithDeadline(
            absl::Condition(&InsertBatcher::DoneOrFirstInLine, &waiter),
            deadline)) {
      return GiveUp(*pending);
    }
    if (pending->done) break;
    // Lead a batch of everything queued, oldest (this caller) first.
    std::vector<std::shared_ptr<Pending>> batch;
    while (!queue_.empty() &&
           static_cast<int>(batch.size()) < options_.max_batch) {
      batch.push_back(std::move(queue_.front()));
      queue_.pop_front();
    }
    ++active_batches_;
    mu_.Unlock();
    WriteBatch(batch);
    if (options_.observer != nullptr) {
      options_.observer->OnBatchWritten(static_cast<int>(batch.size()));
    }
    mu_.Lock();
    --active_batches_;
    for (const std::shared_ptr<Pending>& written : batch) written->done = true;
  }
  return std::move(pending->result);
}

bool InsertBatcher::DoneOrFirstInLine(Waiter* waiter) {
  InsertBatcher& self = *waiter->batcher;
  return waiter->pending->done ||
         (!self.queue_.empty() &&
          self.queue_.front().get() == waiter->pending &&
          self.active_batches_ < self.options_.max_concurrent_batches);
}

absl::Status InsertBatcher::GiveUp(Pending& pending) {
  if (pending.started) return MaybeStored();
  pending.abandoned = true;
  auto queued = std::find_if(
      queue_.begin(), queue_.end(),
      [&](const std::shared_ptr<Pending>& p) { return p.get() == &pending; });
  if (queued != queue_.end()) queue_.erase(queued);
  return NotStored();
}

bool InsertBatcher::AwaitQueueDepth(int depth, absl::Duration timeout) {
  absl::MutexLock lock(&mu_);
  auto deep_enough = [this, depth]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return static_cast<int>(queue_.size()) >= depth;
  };
  return mu_.AwaitWithTimeout(absl::Condition(&deep_enough), timeout);
}

bool InsertBatcher::Start(Pending& pending) {
  absl::MutexLock lock(&mu_);
  if (!pending.abandoned && absl::Now() >= pending.deadline) {
    pending.abandoned = true;
    pending.result = NotStored();
  }
  if (pending.abandoned) return false;
  pending.started = true;
  return true;
}

void InsertBatcher::WriteOne(pqxx::transaction_base& txn, Pending& pending) {
  try {
    pending.result = insert_(txn, pending.comment);
  } catch (const std::exception& error) {
    pending.result = StatusFromDbException(error);
  }
  pending.failed_alone = !pending.result.ok();
}

void InsertBatcher::WriteInSavepoint(pqxx::work& txn, Pending& pending) {
  pqxx::subtransaction savepoint(txn, "comment");
  WriteOne(savepoint, pending);
  try {
    if (pending.result.ok()) {
      savepoint.commit();
    } else {
      savepoint.abort();
    }
  } catch (const std::exception& error) {
    pending.result = StatusFromDbException(error);
    pending.failed_alone = true;
  }
}

absl::Status InsertBatcher::WriteTogether(
    pqxx::work& txn, const std::vector<std::shared_ptr<Pending>>& batch) {
  std::vector<Pending*> writing;
  std::vector<const NewComment*> comments;
  for (const std::shared_ptr<Pending>& pending : batch) {
    if (!Start(*pending)) continue;
    writing.push_back(pending.get());
    comments.push_back(&pending->comment);
  }
  if (writing.empty()) return absl::OkStatus();
  std::vector<std::optional<absl::StatusOr<CreateResult>>> results =
      insert_together_(txn, comments);
  for (size_t i = 0; i < writing.size(); ++i) {
    Pending& pending = *writing[i];
    if (!results[i].has_value()) continue;
    pending.result = std::move(*results[i]);
    pending.failed_alone = !pending.result.ok();
  }
  for (size_t i = 0; i < writing.size(); ++i) {
    if (results[i].has_value()) continue;
    WriteInSavepoint(txn, *writing[i]);
    if (writing[i]->result.status().code() == absl::StatusCode::kUnavailable) {
      return writing[i]->result.status();
    }
  }
  return absl::OkStatus();
}

absl::Status InsertBatcher::WriteOneByOne(
    pqxx::work& txn, const std::vector<std::shared_ptr<Pending>>& batch) {
  const bool alone = batch.size() == 1;
  for (const std::shared_ptr<Pending>& pending : batch) {
    if (!Start(*pending)) continue;
    // A batch of one needs no savepoint: its failure is the transaction's.
    if (alone) {
      WriteOne(txn, *pending);
      return pending->result.status();
    }
    WriteInSavepoint(txn, *pending);
    // Without a connection nothing more can be written.
    if (pending->result.status().code() == absl::StatusCode::kUnavailable) {
      return pending->result.status();
    }
  }
  return absl::OkStatus();
}

void InsertBatcher::WriteBatch(
    const std::vector<std::shared_ptr<Pending>>& batch) {
  // The statement timeout must let the slowest-deadline caller finish;
  // callers with earlier deadlines stop waiting on their own.
  absl::Time deadline = absl::InfinitePast();
  for (const std::shared_ptr<Pending>& pending : batch) {
    deadline = std::max(deadline, pending->deadline);
  }
  auto one_by_one = [&](pqxx::work& txn) { return WriteOneByOne(txn, batch); };
  absl::Status status;
  if (insert_together_ && batch.size() > 1) {
    status = pool_->InTransaction(
        deadline, [&](pqxx::work& txn) { return WriteTogether(txn, batch); });
    if (status.ok()) return;
    // Nothing of it committed. Unless the database is out of reach, write
    // the batch again one by one, so that whatever failed fails alone.
    if (status.code() != absl::StatusCode::kUnavailable) {
      {
        absl::MutexLock lock(&mu_);
        for (const std::shared_ptr<Pending>& pending : batch) {
          if (pending->abandoned) continue;
          pending->failed_alone = false;
          pending->result = absl::UnknownError("not written");
        }
      }
      status = pool_->InTransaction(deadline, one_by_one);
    }
  } else {
    status = pool_->InTransaction(deadline, one_by_one);
  }
  if (status.ok()) return;
  absl::MutexLock lock(&mu_);
  // The transaction did not commit: what was written with it is gone.
  for (const std::shared_ptr<Pending>& pending : batch) {
    if (!pending->abandoned && !pending->failed_alone) {
      pending->result = status;
    }
  }
}

}  // namespace comments::storage
