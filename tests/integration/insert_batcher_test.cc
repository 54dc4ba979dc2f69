// Group commit against a real PostgreSQL: concurrent inserts share one
// transaction, every caller gets its own row back, one bad comment fails
// alone (its savepoint) without the batch being written again, and a caller
// stops waiting at its deadline.
#include "service/storage/insert_batcher.h"

#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "pqxx/pqxx"
#include "service/common/uuid.h"
#include "service/storage/migrations.h"
#include "service/storage/pg_comment_repository.h"
#include "tests/support/postgres_suite.h"

namespace comments::storage {
namespace {

constexpr int kQueued = 9;

class InsertBatcherTest : public comments::testing::PostgresSuite {
 protected:
  // A fresh, migrated database per test.
  void SetUp() override {
    database_ = absl::StrCat("batch_", ++databases_);
    ASSERT_NO_FATAL_FAILURE(CreateMigratedDatabase(database_));
    PoolOptions options;
    options.connection_string = postgres_->ConnectionString(database_);
    options.size = 4;
    pool_ = std::make_unique<ConnectionPool>(std::move(options));
  }

  static NewComment Comment(std::string thread) {
    NewComment comment;
    comment.id = NewUuid();
    comment.thread = std::move(thread);
    comment.author_name = "Reader";
    comment.body = "A comment body.";
    return comment;
  }

  // Inserts through the production InsertFn of PgCommentRepository, but
  // first notes the transaction id and counts the call, holds the first
  // batch until `release_first_` so that the others queue up behind it, and
  // holds a comment of thread "hold" until `release_hold_`.
  InsertBatcher::InsertFn RecordingInsert() {
    return [this](pqxx::transaction_base& txn, const NewComment& comment) {
      const int64_t txid =
          txn.exec("SELECT txid_current()")[0][0].as<int64_t>();
      {
        absl::MutexLock lock(&mu_);
        txids_[comment.id] = txid;
        ++calls_[comment.id];
      }
      if (comment.thread == "first") {
        first_started_.Notify();
        release_first_.WaitForNotification();
      }
      if (comment.thread == "hold") {
        if (!hold_started_.HasBeenNotified()) hold_started_.Notify();
        release_hold_.WaitForNotification();
      }
      return inner_(txn, comment);
    };
  }

  static absl::StatusOr<CreateResult> RepositoryInsert(
      pqxx::transaction_base& txn, const NewComment& comment) {
    return PgCommentRepository::InsertInTransaction(txn, comment);
  }

  int Calls(const std::string& id) {
    absl::MutexLock lock(&mu_);
    return calls_[id];
  }

  std::string CountRows() {
    auto rows = postgres_->Query(database_, "SELECT count(*) FROM comments");
    EXPECT_TRUE(rows.ok()) << rows.status();
    return rows.ok() ? *rows : "";
  }

  absl::Time Deadline() const { return absl::Now() + absl::Seconds(20); }

  static int databases_;
  std::string database_;
  std::unique_ptr<ConnectionPool> pool_;
  absl::Notification first_started_;
  absl::Notification release_first_;
  absl::Notification hold_started_;
  absl::Notification release_hold_;
  absl::Mutex mu_;
  std::map<std::string, int64_t> txids_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, int> calls_ ABSL_GUARDED_BY(mu_);
  // The repository's own insert, reached through a batch of one.
  std::function<absl::StatusOr<CreateResult>(pqxx::transaction_base&,
                                             const NewComment&)>
      inner_;
};

int InsertBatcherTest::databases_ = 0;

// Runs `comments` through `batcher` concurrently while the first one holds
// its batch open, so the rest form exactly one following batch.
std::vector<absl::StatusOr<CreateResult>> InsertBehindFirst(
    InsertBatcher& batcher, absl::Notification& first_started,
    absl::Notification& release_first, const std::vector<NewComment>& comments,
    absl::Time deadline) {
  std::vector<absl::StatusOr<CreateResult>> results(
      comments.size(), absl::UnknownError("not run"));
  std::vector<std::thread> callers;
  callers.emplace_back(
      [&] { results[0] = batcher.Insert(comments[0], deadline); });
  EXPECT_TRUE(first_started.WaitForNotificationWithTimeout(absl::Seconds(10)));
  for (size_t i = 1; i < comments.size(); ++i) {
    callers.emplace_back(
        [&, i] { results[i] = batcher.Insert(comments[i], deadline); });
  }
  EXPECT_TRUE(batcher.AwaitQueueDepth(static_cast<int>(comments.size()) - 1,
                                      absl::Seconds(10)));
  release_first.Notify();
  for (std::thread& caller : callers) caller.join();
  return results;
}

TEST_F(InsertBatcherTest, QueuedInsertsShareOneTransactionAndAllCommit) {
  inner_ = [](pqxx::transaction_base& txn, const NewComment& comment) {
    return PgCommentRepository::InsertInTransaction(txn, comment);
  };
  InsertBatcher batcher(pool_.get(), RecordingInsert(),
                        {/*max_batch=*/64, /*max_concurrent_batches=*/1});
  std::vector<NewComment> comments = {Comment("first")};
  for (int i = 0; i < kQueued; ++i) comments.push_back(Comment("queued"));

  auto results = InsertBehindFirst(batcher, first_started_, release_first_,
                                   comments, Deadline());

  std::set<int64_t> queued_txids;
  absl::MutexLock lock(&mu_);
  for (size_t i = 0; i < comments.size(); ++i) {
    ASSERT_TRUE(results[i].ok()) << results[i].status();
    EXPECT_TRUE(results[i]->created);
    EXPECT_EQ(results[i]->comment.id, comments[i].id);
    if (i > 0) queued_txids.insert(txids_[comments[i].id]);
  }
  EXPECT_EQ(queued_txids.size(), 1u) << "queued inserts were not grouped";
  EXPECT_NE(*queued_txids.begin(), txids_[comments[0].id]);
  auto rows = postgres_->Query(database_, "SELECT count(*) FROM comments");
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(*rows, absl::StrCat(kQueued + 1));
}

// The sizes of the batches written, in order.
class RecordingBatchObserver final : public BatchObserver {
 public:
  void OnBatchWritten(int size) override {
    absl::MutexLock lock(&mu_);
    sizes_.push_back(size);
  }
  std::vector<int> sizes() {
    absl::MutexLock lock(&mu_);
    return sizes_;
  }

 private:
  absl::Mutex mu_;
  std::vector<int> sizes_ ABSL_GUARDED_BY(mu_);
};

TEST_F(InsertBatcherTest, ObserverHearsTheSizeOfEveryBatch) {
  inner_ = RepositoryInsert;
  RecordingBatchObserver observer;
  InsertBatcherOptions options;
  options.max_concurrent_batches = 1;
  options.observer = &observer;
  InsertBatcher batcher(pool_.get(), RecordingInsert(), options);
  std::vector<NewComment> comments = {Comment("first")};
  for (int i = 0; i < kQueued; ++i) comments.push_back(Comment("queued"));

  for (const auto& result : InsertBehindFirst(
           batcher, first_started_, release_first_, comments, Deadline())) {
    ASSERT_TRUE(result.ok()) << result.status();
  }
  EXPECT_EQ(observer.sizes(), (std::vector<int>{1, kQueued}));
}

TEST_F(InsertBatcherTest, OneFailingCommentDoesNotFailItsBatch) {
  inner_ = [](pqxx::transaction_base& txn, const NewComment& comment) {
    return PgCommentRepository::InsertInTransaction(txn, comment);
  };
  InsertBatcher batcher(pool_.get(), RecordingInsert(),
                        {/*max_batch=*/64, /*max_concurrent_batches=*/1});
  std::vector<NewComment> comments = {Comment("first")};
  for (int i = 0; i < kQueued; ++i) comments.push_back(Comment("queued"));
  // Breaks the table's CHECK on thread length: the database refuses it.
  comments[4].thread = std::string(200, 't');

  auto results = InsertBehindFirst(batcher, first_started_, release_first_,
                                   comments, Deadline());

  std::set<int64_t> queued_txids;
  for (size_t i = 0; i < comments.size(); ++i) {
    if (i == 4) {
      EXPECT_EQ(results[i].status().code(), absl::StatusCode::kInternal);
    } else {
      ASSERT_TRUE(results[i].ok()) << i << ": " << results[i].status();
      EXPECT_EQ(results[i]->comment.id, comments[i].id);
    }
    // Written once: the batch is not run again comment by comment.
    EXPECT_EQ(Calls(comments[i].id), 1) << i;
    absl::MutexLock lock(&mu_);
    if (i > 0) queued_txids.insert(txids_[comments[i].id]);
  }
  EXPECT_EQ(queued_txids.size(), 1u) << "the batch was split";
  EXPECT_EQ(CountRows(), absl::StrCat(kQueued));
}

// The repository's set-based write, noting the ids of each batch given to
// it, in the order given.
InsertBatcher::InsertTogetherFn NotingTogether(
    std::vector<std::vector<std::string>>* batches) {
  return [batches](pqxx::transaction_base& txn,
                   const std::vector<const NewComment*>& comments) {
    batches->emplace_back();
    for (const NewComment* comment : comments) {
      batches->back().push_back(comment->id);
    }
    return PgCommentRepository::InsertTogetherInTransaction(txn, comments);
  };
}

TEST_F(InsertBatcherTest, AQueuedBatchIsWrittenTogetherInQueueOrder) {
  inner_ = RepositoryInsert;
  std::vector<std::vector<std::string>> batches;
  InsertBatcher batcher(pool_.get(), RecordingInsert(),
                        NotingTogether(&batches),
                        {/*max_batch=*/64, /*max_concurrent_batches=*/1});
  std::vector<NewComment> comments = {Comment("first")};
  for (int i = 0; i < kQueued; ++i) comments.push_back(Comment("queued"));

  auto results = InsertBehindFirst(batcher, first_started_, release_first_,
                                   comments, Deadline());

  ASSERT_EQ(batches.size(), 1u);
  ASSERT_EQ(batches[0].size(), static_cast<size_t>(kQueued));
  std::map<std::string, int64_t> seq;
  for (size_t i = 0; i < comments.size(); ++i) {
    ASSERT_TRUE(results[i].ok()) << i << ": " << results[i].status();
    EXPECT_EQ(results[i]->comment.id, comments[i].id);
    // The first was alone; the others never went through the single write.
    EXPECT_EQ(Calls(comments[i].id), i == 0 ? 1 : 0) << i;
    seq[comments[i].id] = results[i]->comment.seq;
  }
  // Stored in the order queued, which is the order pages list them in.
  for (size_t i = 1; i < batches[0].size(); ++i) {
    EXPECT_GT(seq[batches[0][i]], seq[batches[0][i - 1]]) << i;
  }
  EXPECT_EQ(CountRows(), absl::StrCat(kQueued + 1));
}

TEST_F(InsertBatcherTest, ABatchWhoseSetWriteFailsIsWrittenOneByOne) {
  inner_ = RepositoryInsert;
  std::vector<std::vector<std::string>> batches;
  InsertBatcher batcher(pool_.get(), RecordingInsert(),
                        NotingTogether(&batches),
                        {/*max_batch=*/64, /*max_concurrent_batches=*/1});
  std::vector<NewComment> comments = {Comment("first")};
  for (int i = 0; i < kQueued; ++i) comments.push_back(Comment("queued"));
  // Breaks the table's CHECK on thread length: the set insert fails whole.
  comments[4].thread = std::string(200, 't');

  auto results = InsertBehindFirst(batcher, first_started_, release_first_,
                                   comments, Deadline());

  ASSERT_EQ(batches.size(), 1u);
  EXPECT_EQ(batches[0].size(), static_cast<size_t>(kQueued));
  for (size_t i = 0; i < comments.size(); ++i) {
    if (i == 4) {
      EXPECT_EQ(results[i].status().code(), absl::StatusCode::kInternal);
    } else {
      ASSERT_TRUE(results[i].ok()) << i << ": " << results[i].status();
      EXPECT_EQ(results[i]->comment.id, comments[i].id);
    }
    EXPECT_EQ(Calls(comments[i].id), 1) << i;
  }
  EXPECT_EQ(CountRows(), absl::StrCat(kQueued));
}

TEST_F(InsertBatcherTest, ACommentThatFailsAfterWritingIsRolledBackAlone) {
  // Writes its row, then fails: the row must go with the failure.
  inner_ = [](pqxx::transaction_base& txn,
              const NewComment& comment) -> absl::StatusOr<CreateResult> {
    absl::StatusOr<CreateResult> written = RepositoryInsert(txn, comment);
    if (comment.author_name == "Late refusal") {
      return absl::FailedPreconditionError("refused after writing");
    }
    if (comment.author_name == "Late error") {
      txn.exec("SELECT 1/0");  // throws after the row was written
    }
    return written;
  };
  InsertBatcher batcher(pool_.get(), RecordingInsert(),
                        {/*max_batch=*/64, /*max_concurrent_batches=*/1});
  std::vector<NewComment> comments = {Comment("first")};
  for (int i = 0; i < kQueued; ++i) comments.push_back(Comment("queued"));
  comments[3].author_name = "Late refusal";
  comments[6].author_name = "Late error";

  auto results = InsertBehindFirst(batcher, first_started_, release_first_,
                                   comments, Deadline());

  EXPECT_EQ(results[3].status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(results[6].status().code(), absl::StatusCode::kInternal);
  for (size_t i = 0; i < comments.size(); ++i) {
    EXPECT_EQ(Calls(comments[i].id), 1) << i;
    if (i == 3 || i == 6) continue;
    ASSERT_TRUE(results[i].ok()) << i << ": " << results[i].status();
  }
  EXPECT_EQ(CountRows(), absl::StrCat(kQueued + 1 - 2));
  auto refused = postgres_->Query(
      database_,
      "SELECT count(*) FROM comments WHERE author_name LIKE 'Late %'");
  ASSERT_TRUE(refused.ok());
  EXPECT_EQ(*refused, "0");
}

TEST_F(InsertBatcherTest, AQueuedCallerStopsAtItsDeadlineAndIsNotWritten) {
  inner_ = RepositoryInsert;
  InsertBatcher batcher(pool_.get(), RecordingInsert(),
                        {/*max_batch=*/64, /*max_concurrent_batches=*/1});
  const NewComment first = Comment("first");
  absl::StatusOr<CreateResult> first_result = absl::UnknownError("not run");
  std::thread first_caller(
      [&] { first_result = batcher.Insert(first, Deadline()); });
  ASSERT_TRUE(first_started_.WaitForNotificationWithTimeout(absl::Seconds(10)));

  const NewComment late = Comment("queued");
  absl::StatusOr<CreateResult> late_result = absl::UnknownError("not run");
  absl::Notification late_answered;
  std::thread late_caller([&] {
    late_result = batcher.Insert(late, absl::Now() + absl::Milliseconds(300));
    late_answered.Notify();
  });
  // Answered while the batch ahead of it is still held open.
  const bool answered =
      late_answered.WaitForNotificationWithTimeout(absl::Seconds(10));
  release_first_.Notify();
  first_caller.join();
  late_caller.join();

  ASSERT_TRUE(answered) << "the queued caller waited past its deadline";
  EXPECT_EQ(late_result.status().code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_THAT(late_result.status().message(),
              ::testing::HasSubstr("not stored"));
  ASSERT_TRUE(first_result.ok()) << first_result.status();
  EXPECT_EQ(Calls(late.id), 0);
  EXPECT_EQ(CountRows(), "1");
}

TEST_F(InsertBatcherTest, ACallerWhoseCommentIsBeingWrittenMayRetrySafely) {
  inner_ = RepositoryInsert;
  InsertBatcher batcher(pool_.get(), RecordingInsert(),
                        {/*max_batch=*/64, /*max_concurrent_batches=*/1});
  const NewComment first = Comment("first");
  const NewComment leader = Comment("queued");
  NewComment held = Comment("hold");
  held.request_id = NewUuid();
  held.request_fingerprint = "draft";

  absl::StatusOr<CreateResult> first_result = absl::UnknownError("not run");
  absl::StatusOr<CreateResult> leader_result = absl::UnknownError("not run");
  absl::StatusOr<CreateResult> held_result = absl::UnknownError("not run");
  absl::Notification held_answered;
  std::thread first_caller(
      [&] { first_result = batcher.Insert(first, Deadline()); });
  ASSERT_TRUE(first_started_.WaitForNotificationWithTimeout(absl::Seconds(10)));
  std::thread leader_caller(
      [&] { leader_result = batcher.Insert(leader, Deadline()); });
  ASSERT_TRUE(batcher.AwaitQueueDepth(1, absl::Seconds(10)));
  std::thread held_caller([&] {
    held_result = batcher.Insert(held, absl::Now() + absl::Seconds(3));
    held_answered.Notify();
  });
  ASSERT_TRUE(batcher.AwaitQueueDepth(2, absl::Seconds(10)));
  release_first_.Notify();
  // The leader's batch reaches the held comment and stays in it past the
  // held caller's deadline.
  const bool reached =
      hold_started_.WaitForNotificationWithTimeout(absl::Seconds(10));
  const bool answered =
      held_answered.WaitForNotificationWithTimeout(absl::Seconds(10));
  release_hold_.Notify();
  first_caller.join();
  leader_caller.join();
  held_caller.join();

  ASSERT_TRUE(reached);
  ASSERT_TRUE(answered) << "the caller waited past its deadline";
  EXPECT_EQ(held_result.status().code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_THAT(held_result.status().message(),
              ::testing::HasSubstr("may have been stored"));
  ASSERT_TRUE(leader_result.ok()) << leader_result.status();
  // The batch committed it after all; a retry with the request_id gets it.
  EXPECT_EQ(CountRows(), "3");
  NewComment retry = held;
  retry.id = NewUuid();
  absl::StatusOr<CreateResult> retried = batcher.Insert(retry, Deadline());
  ASSERT_TRUE(retried.ok()) << retried.status();
  EXPECT_FALSE(retried->created);
  EXPECT_EQ(retried->comment.id, held.id);
  EXPECT_EQ(CountRows(), "3");
}

TEST_F(InsertBatcherTest, RefusedRetryInABatchKeepsTheOthers) {
  inner_ = [](pqxx::transaction_base& txn, const NewComment& comment) {
    return PgCommentRepository::InsertInTransaction(txn, comment);
  };
  PgCommentRepository repository(pool_.get());
  NewComment original = Comment("queued");
  original.request_id = NewUuid();
  original.request_fingerprint = "draft-1";
  ASSERT_TRUE(repository.Create(original, Deadline()).ok());

  InsertBatcher batcher(pool_.get(), RecordingInsert(),
                        {/*max_batch=*/64, /*max_concurrent_batches=*/1});
  std::vector<NewComment> comments = {Comment("first")};
  for (int i = 0; i < kQueued; ++i) comments.push_back(Comment("queued"));
  comments[2] = original;
  comments[2].id = NewUuid();
  comments[2].request_fingerprint = "draft-2";  // same id, other draft
  comments[3] = original;
  comments[3].id = NewUuid();  // a plain retry

  auto results = InsertBehindFirst(batcher, first_started_, release_first_,
                                   comments, Deadline());

  EXPECT_EQ(results[2].status().code(), absl::StatusCode::kAlreadyExists);
  ASSERT_TRUE(results[3].ok()) << results[3].status();
  EXPECT_FALSE(results[3]->created);
  EXPECT_EQ(results[3]->comment.id, original.id);
  for (size_t i : {0, 1, 4, 5, 6, 7, 8, 9}) {
    ASSERT_TRUE(results[i].ok()) << i << ": " << results[i].status();
    EXPECT_TRUE(results[i]->created);
  }
  auto rows = postgres_->Query(database_, "SELECT count(*) FROM comments");
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(*rows, absl::StrCat(1 + 8));
}

TEST_F(InsertBatcherTest, ManyConcurrentCallersEachGetTheirOwnRow) {
  PgCommentRepository repository(pool_.get());
  constexpr int kCallers = 64;
  std::vector<NewComment> comments;
  for (int i = 0; i < kCallers; ++i) comments.push_back(Comment("busy"));
  std::vector<absl::StatusOr<CreateResult>> results(
      kCallers, absl::UnknownError("not run"));
  std::vector<std::thread> callers;
  for (int i = 0; i < kCallers; ++i) {
    callers.emplace_back(
        [&, i] { results[i] = repository.Create(comments[i], Deadline()); });
  }
  for (std::thread& caller : callers) caller.join();
  for (int i = 0; i < kCallers; ++i) {
    ASSERT_TRUE(results[i].ok()) << results[i].status();
    EXPECT_EQ(results[i]->comment.id, comments[i].id);
  }
  auto rows = postgres_->Query(
      database_,
      "SELECT count(DISTINCT id) FROM comments WHERE thread = 'busy'");
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(*rows, absl::StrCat(kCallers));
}

}  // namespace
}  // namespace comments::storage
