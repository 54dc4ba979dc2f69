// Group commit against a real PostgreSQL: concurrent inserts share one
// transaction, every caller gets its own row back, and one bad comment does
// not fail the others of its batch.
#include "service/storage/insert_batcher.h"

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
    options.prepared_statements = PgCommentRepository::PreparedStatements();
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
  // first notes the transaction id, and holds the first batch until
  // `release_first_` so that the others queue up behind it.
  InsertBatcher::InsertFn RecordingInsert() {
    return [this](pqxx::transaction_base& txn, const NewComment& comment) {
      const int64_t txid =
          txn.exec("SELECT txid_current()")[0][0].as<int64_t>();
      {
        absl::MutexLock lock(&mu_);
        txids_[comment.id] = txid;
      }
      if (comment.thread == "first") {
        first_started_.Notify();
        release_first_.WaitForNotification();
      }
      return inner_(txn, comment);
    };
  }

  absl::Time Deadline() const { return absl::Now() + absl::Seconds(20); }

  static int databases_;
  std::string database_;
  std::unique_ptr<ConnectionPool> pool_;
  absl::Notification first_started_;
  absl::Notification release_first_;
  absl::Mutex mu_;
  std::map<std::string, int64_t> txids_ ABSL_GUARDED_BY(mu_);
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

  for (size_t i = 0; i < comments.size(); ++i) {
    if (i == 4) {
      EXPECT_EQ(results[i].status().code(), absl::StatusCode::kInternal);
    } else {
      ASSERT_TRUE(results[i].ok()) << i << ": " << results[i].status();
      EXPECT_EQ(results[i]->comment.id, comments[i].id);
    }
  }
  auto rows = postgres_->Query(database_, "SELECT count(*) FROM comments");
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(*rows, absl::StrCat(kQueued));
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
