// The storage layer against a real PostgreSQL: migrations, the bounded
// pool, and the comment repository's idempotency and ordering.
#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "pqxx/pqxx"
#include "service/api/status_mapping.h"
#include "service/common/uuid.h"
#include "service/storage/connection_pool.h"
#include "service/storage/migrations.h"
#include "service/storage/pg_comment_repository.h"
#include "service/storage/pg_queue_summary.h"
#include "tests/support/postgres_suite.h"

namespace comments::storage {
namespace {

using api::GetErrorInfo;

using ::testing::ElementsAre;

// What a pool reports: the last counts and every wait.
class RecordingPoolObserver final : public PoolObserver {
 public:
  void OnConnectionCounts(int open, int in_use) override {
    absl::MutexLock lock(&mu_);
    open_ = open;
    in_use_ = in_use;
  }
  void OnWaited(absl::Duration waited) override {
    absl::MutexLock lock(&mu_);
    waits_.push_back(waited);
  }
  std::pair<int, int> counts() const {
    absl::MutexLock lock(&mu_);
    return {open_, in_use_};
  }
  std::vector<absl::Duration> waits() const {
    absl::MutexLock lock(&mu_);
    return waits_;
  }

 private:
  mutable absl::Mutex mu_;
  int open_ ABSL_GUARDED_BY(mu_) = -1;
  int in_use_ ABSL_GUARDED_BY(mu_) = -1;
  std::vector<absl::Duration> waits_ ABSL_GUARDED_BY(mu_);
};

class StorageTest : public comments::testing::PostgresSuite {
 protected:
  // A fresh, migrated database per test.
  void SetUp() override {
    database_ = absl::AsciiStrToLower(absl::StrCat(
        "t_", ::testing::UnitTest::GetInstance()->current_test_info()->name()));
    ASSERT_NO_FATAL_FAILURE(CreateMigratedDatabase(database_));
    PoolOptions options;
    options.connection_string = conninfo();
    options.size = 3;
    pool_ = std::make_unique<ConnectionPool>(std::move(options));
    repository_ = std::make_unique<PgCommentRepository>(pool_.get());
  }

  std::string conninfo() const {
    return postgres_->ConnectionString(database_);
  }

  static absl::Time Deadline() { return absl::Now() + absl::Seconds(10); }

  static NewComment Comment(const std::string& thread,
                            domain::CommentState state) {
    NewComment comment;
    comment.id = NewUuid();
    comment.thread = thread;
    comment.author_name = "Reader";
    comment.body = "A comment body.";
    comment.state = state;
    comment.email_ciphertext = std::string("k1:\x01\x02\0\x03", 7);
    comment.email_hash = std::string(32, '\x7f');
    comment.client_ip = "192.0.2.7";
    comment.flags = {"links"};
    return comment;
  }

  std::string database_;
  std::unique_ptr<ConnectionPool> pool_;
  std::unique_ptr<PgCommentRepository> repository_;
};

TEST_F(StorageTest, MigrationsTwiceAreANoOp) {
  auto again = ApplyMigrations(conninfo());
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(*again, 0);
  auto recorded =
      postgres_->Query(database_, "SELECT count(*) FROM schema_migrations");
  ASSERT_TRUE(recorded.ok());
  EXPECT_EQ(*recorded, absl::StrCat(EmbeddedMigrations().size()));
}

TEST_F(StorageTest, ConcurrentStartsApplyEachMigrationOnce) {
  ASSERT_TRUE(postgres_->CreateDatabase("t_concurrent_fresh").ok());
  const std::string fresh = postgres_->ConnectionString("t_concurrent_fresh");
  std::atomic<int> applied{0};
  std::atomic<int> failures{0};
  std::vector<std::thread> replicas;
  for (int i = 0; i < 4; ++i) {
    replicas.emplace_back([&] {
      auto result = ApplyMigrations(fresh);
      if (result.ok()) {
        applied += *result;
      } else {
        ++failures;
      }
    });
  }
  for (std::thread& replica : replicas) replica.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(applied.load(), static_cast<int>(EmbeddedMigrations().size()));
}

TEST_F(StorageTest, CreateStoresEveryFieldAndGetReadsItBack) {
  NewComment comment = Comment("article", domain::CommentState::kPending);
  comment.user_agent = "Mozilla/5.0";
  auto created = repository_->Create(comment, Deadline());
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_TRUE(created->created);
  auto read = repository_->Get(comment.id, Deadline());
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->id, comment.id);
  EXPECT_EQ(read->thread, "article");
  EXPECT_EQ(read->email_ciphertext, comment.email_ciphertext);
  EXPECT_EQ(read->client_ip, "192.0.2.7");
  EXPECT_EQ(read->user_agent, "Mozilla/5.0");
  EXPECT_THAT(read->flags, ElementsAre("links"));
  EXPECT_EQ(read->state, domain::CommentState::kPending);
  EXPECT_EQ(read->version, 1);

  EXPECT_EQ(repository_->Get(NewUuid(), Deadline()).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(StorageTest, RequestIdMakesCreateIdempotent) {
  NewComment comment = Comment("article", domain::CommentState::kPending);
  comment.request_id = NewUuid();
  comment.request_fingerprint = "fingerprint-1";
  auto first = repository_->Create(comment, Deadline());
  ASSERT_TRUE(first.ok()) << first.status();

  NewComment retry = comment;
  retry.id = NewUuid();  // a retry builds a new row id; the original wins
  auto second = repository_->Create(retry, Deadline());
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_FALSE(second->created);
  EXPECT_EQ(second->comment.id, comment.id);

  NewComment reused = retry;
  reused.request_fingerprint = "fingerprint-2";
  auto third = repository_->Create(reused, Deadline());
  EXPECT_EQ(third.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(GetErrorInfo(third.status())->reason(), "REQUEST_ID_REUSED");

  auto rows = postgres_->Query(database_, "SELECT count(*) FROM comments");
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(*rows, "1");
}

TEST_F(StorageTest, ListApprovedWalksInInsertionOrderSkippingOthers) {
  std::vector<std::string> approved;
  for (int i = 0; i < 5; ++i) {
    const bool publish = i % 2 == 0;
    NewComment comment =
        Comment("walk", publish ? domain::CommentState::kApproved
                                : domain::CommentState::kPending);
    ASSERT_TRUE(repository_->Create(comment, Deadline()).ok());
    if (publish) approved.push_back(comment.id);
  }
  ASSERT_TRUE(repository_
                  ->Create(Comment("other", domain::CommentState::kApproved),
                           Deadline())
                  .ok());
  std::vector<std::string> walked;
  int64_t after = 0;
  while (true) {
    auto page = repository_->ListApproved("walk", after, 2, Deadline());
    ASSERT_TRUE(page.ok()) << page.status();
    if (page->empty()) break;
    for (const CommentRecord& record : *page) walked.push_back(record.id);
    after = page->back().seq;
  }
  EXPECT_EQ(walked, approved);

  auto counts =
      repository_->CountApproved({"walk", "none", "other", "walk"}, Deadline());
  ASSERT_TRUE(counts.ok()) << counts.status();
  EXPECT_THAT(*counts, ElementsAre(3, 0, 1, 3));
}

TEST_F(StorageTest, ReplyTargetMustBeApprovedInTheSameThread) {
  NewComment approved = Comment("thread-a", domain::CommentState::kApproved);
  NewComment pending = Comment("thread-a", domain::CommentState::kPending);
  ASSERT_TRUE(repository_->Create(approved, Deadline()).ok());
  ASSERT_TRUE(repository_->Create(pending, Deadline()).ok());
  EXPECT_TRUE(
      *repository_->IsApprovedInThread(approved.id, "thread-a", Deadline()));
  EXPECT_FALSE(
      *repository_->IsApprovedInThread(approved.id, "thread-b", Deadline()));
  EXPECT_FALSE(
      *repository_->IsApprovedInThread(pending.id, "thread-a", Deadline()));
}

// A statement that cannot finish while the test holds kBlockingLock: slow
// for exactly as long as the test wants, with no timing involved.
constexpr int64_t kBlockingLock = 4242;
constexpr char kBlockedStatement[] =
    "SELECT pg_advisory_xact_lock_shared(4242)";
constexpr char kCountBlocked[] =
    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"
    " AND NOT granted";

TEST_F(StorageTest, PoolNeverOpensMoreThanItsSize) {
  pqxx::connection holder(conninfo());
  pqxx::nontransaction hold(holder);
  hold.exec_params("SELECT pg_advisory_lock($1)", kBlockingLock);

  std::vector<std::thread> callers;
  std::atomic<int> failures{0};
  for (int i = 0; i < 12; ++i) {
    callers.emplace_back([&] {
      absl::Status status =
          pool_->InTransaction(Deadline(), [](pqxx::work& txn) {
            txn.exec(kBlockedStatement);
            return absl::OkStatus();
          });
      if (!status.ok()) ++failures;
    });
  }
  // Wait until the pool is saturated: its three connections blocked on the
  // lock, nine callers waiting for a connection.
  const absl::Time give_up = absl::Now() + absl::Seconds(10);
  int blocked = 0;
  while (blocked < 3 && absl::Now() < give_up) {
    blocked = hold.exec(
                      "SELECT count(*) FROM pg_locks WHERE locktype ="
                      " 'advisory' AND NOT granted")[0][0]
                  .as<int>();
  }
  EXPECT_EQ(blocked, 3);
  EXPECT_EQ(pool_->open_connections(), 3);
  const int backends =
      hold.exec_params(
              "SELECT count(*) FROM pg_stat_activity"
              " WHERE datname = $1 AND pid <> pg_backend_pid()",
              database_)[0][0]
          .as<int>();
  EXPECT_EQ(backends, 3);

  hold.exec_params("SELECT pg_advisory_unlock($1)", kBlockingLock);
  for (std::thread& caller : callers) caller.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(pool_->open_connections(), 3);
}

// Shutdown's last step: Close() cancels the statements of busy connections
// and releases the callers waiting for one.
TEST_F(StorageTest, CloseCancelsStatementsAndReleasesWaitingCallers) {
  pqxx::connection holder(conninfo());
  pqxx::nontransaction hold(holder);
  hold.exec_params("SELECT pg_advisory_lock($1)", kBlockingLock);

  // Deadlines far beyond the test: only Close() can end these calls soon.
  const absl::Time far = absl::Now() + absl::Seconds(60);
  absl::Mutex mu;
  std::vector<absl::Status> outcomes;
  std::vector<std::thread> callers;
  for (int i = 0; i < 5; ++i) {
    callers.emplace_back([&, i] {
      absl::Status status =
          i % 2 == 0 ? pool_->InTransaction(far,
                                            [](pqxx::work& txn) {
                                              txn.exec(kBlockedStatement);
                                              return absl::OkStatus();
                                            })
                     : pool_->Read(far, [](pqxx::transaction_base& txn) {
                         txn.exec(kBlockedStatement);
                         return absl::OkStatus();
                       });
      absl::MutexLock lock(&mu);
      outcomes.push_back(status);
    });
  }
  // The three connections blocked in PostgreSQL, two callers waiting.
  const absl::Time give_up = absl::Now() + absl::Seconds(20);
  int blocked = 0;
  while (blocked < 3 && absl::Now() < give_up) {
    blocked = hold.exec(kCountBlocked)[0][0].as<int>();
  }
  ASSERT_EQ(blocked, 3);

  const absl::Time closing = absl::Now();
  pool_->Close();
  for (std::thread& caller : callers) caller.join();
  EXPECT_LT(absl::Now() - closing, absl::Seconds(2));
  ASSERT_EQ(outcomes.size(), 5u);
  for (const absl::Status& outcome : outcomes) {
    EXPECT_EQ(outcome.code(), absl::StatusCode::kUnavailable) << outcome;
  }
  // Cancelled in PostgreSQL, not just abandoned: nothing waits on the lock
  // the test still holds, and the pool holds no connection.
  EXPECT_EQ(hold.exec(kCountBlocked)[0][0].as<int>(), 0);
  EXPECT_EQ(pool_->open_connections(), 0);
  // Later calls fail at once, without touching the database.
  const absl::Status later = pool_->Read(
      far, [](pqxx::transaction_base&) { return absl::OkStatus(); });
  EXPECT_EQ(later.code(), absl::StatusCode::kUnavailable) << later;
  hold.exec_params("SELECT pg_advisory_unlock($1)", kBlockingLock);
}

TEST_F(StorageTest, CloseWithNothingRunningReturnsAtOnce) {
  ASSERT_TRUE(pool_
                  ->Read(Deadline(),
                         [](pqxx::transaction_base& txn) {
                           txn.exec("SELECT 1");
                           return absl::OkStatus();
                         })
                  .ok());
  EXPECT_EQ(pool_->open_connections(), 1);
  const absl::Time closing = absl::Now();
  pool_->Close(absl::Seconds(30));
  EXPECT_LT(absl::Now() - closing, absl::Seconds(1));
  EXPECT_EQ(pool_->open_connections(), 0);
}

TEST_F(StorageTest, ExpiredDeadlineIsDeadlineExceeded) {
  pqxx::connection holder(conninfo());
  pqxx::nontransaction hold(holder);
  hold.exec_params("SELECT pg_advisory_lock($1)", kBlockingLock);
  absl::Status status = pool_->InTransaction(
      absl::Now() + absl::Milliseconds(200), [](pqxx::work& txn) {
        txn.exec(kBlockedStatement);
        return absl::OkStatus();
      });
  EXPECT_EQ(status.code(), absl::StatusCode::kDeadlineExceeded) << status;
}

TEST_F(StorageTest, ReadsAreBoundedByTheirOwnDeadlineOnly) {
  pqxx::connection holder(conninfo());
  pqxx::nontransaction hold(holder);
  hold.exec_params("SELECT pg_advisory_lock($1)", kBlockingLock);
  absl::Status short_read = pool_->Read(absl::Now() + absl::Milliseconds(300),
                                        [](pqxx::transaction_base& txn) {
                                          txn.exec(kBlockedStatement);
                                          return absl::OkStatus();
                                        });
  EXPECT_EQ(short_read.code(), absl::StatusCode::kDeadlineExceeded)
      << short_read;
  // The same connection, reused: the earlier call's short timeout must not
  // apply to this one, whose deadline is 10 s away.
  int64_t timeout_ms = 0;
  absl::Status long_read =
      pool_->Read(Deadline(), [&](pqxx::transaction_base& txn) {
        timeout_ms = txn.exec(
                            "SELECT setting::int8 FROM pg_settings"
                            " WHERE name = 'statement_timeout'")[0][0]
                         .as<int64_t>();
        return absl::OkStatus();
      });
  EXPECT_TRUE(long_read.ok()) << long_read;
  EXPECT_GT(timeout_ms, 5000);
  EXPECT_LE(timeout_ms, 10000);
  EXPECT_EQ(pool_->open_connections(), 1);
}

TEST_F(StorageTest, PoolReportsConnectionsInUseAndEveryWait) {
  RecordingPoolObserver observer;
  PoolOptions options;
  options.connection_string = conninfo();
  options.size = 1;
  options.observer = &observer;
  ConnectionPool pool(std::move(options));
  std::pair<int, int> during;
  absl::Status inner;
  ASSERT_TRUE(pool.InTransaction(Deadline(),
                                 [&](pqxx::work&) {
                                   during = observer.counts();
                                   // The one connection is taken: this waits
                                   // out its deadline.
                                   inner = pool.Read(
                                       absl::Now() + absl::Milliseconds(50),
                                       [](pqxx::transaction_base&) {
                                         return absl::OkStatus();
                                       });
                                   return absl::OkStatus();
                                 })
                  .ok());
  EXPECT_EQ(inner.code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_EQ(during, std::make_pair(1, 1));
  EXPECT_EQ(observer.counts(), std::make_pair(1, 0));
  const std::vector<absl::Duration> waits = observer.waits();
  ASSERT_EQ(waits.size(), 2u);
  EXPECT_LT(waits[0], absl::Milliseconds(50));
  EXPECT_GE(waits[1], absl::Milliseconds(40));
}

TEST_F(StorageTest, QueueSummaryCountsPendingAndAgesTheOldestByTheDatabase) {
  PgQueueSummaryReader reader(pool_.get());
  absl::StatusOr<QueueSummary> empty = reader.ReadQueueSummary(Deadline());
  ASSERT_TRUE(empty.ok()) << empty.status();
  EXPECT_EQ(empty->pending, 0);
  EXPECT_EQ(empty->oldest_pending_age, absl::ZeroDuration());

  const NewComment oldest = Comment("queue", domain::CommentState::kPending);
  for (const NewComment& comment :
       {oldest, Comment("queue", domain::CommentState::kPending),
        Comment("queue", domain::CommentState::kApproved)}) {
    ASSERT_TRUE(repository_->Create(comment, Deadline()).ok());
  }
  ASSERT_TRUE(
      pool_
          ->InTransaction(Deadline(),
                          [&](pqxx::work& txn) {
                            txn.exec_params0(
                                "UPDATE comments SET create_time = now() - "
                                "interval '1 hour' WHERE id = $1::uuid",
                                oldest.id);
                            return absl::OkStatus();
                          })
          .ok());
  absl::StatusOr<QueueSummary> summary = reader.ReadQueueSummary(Deadline());
  ASSERT_TRUE(summary.ok()) << summary.status();
  EXPECT_EQ(summary->pending, 2);
  EXPECT_GE(summary->oldest_pending_age, absl::Hours(1));
  EXPECT_LT(summary->oldest_pending_age, absl::Hours(1) + absl::Minutes(1));
}

// Statements are declared beside their repository only: a connection
// prepares one when it first runs it, once, and never one it does not run.
TEST_F(StorageTest, AConnectionPreparesAStatementOnFirstUseOnce) {
  PoolOptions options;
  options.connection_string = conninfo();
  options.size = 1;  // every call below shares one session
  ConnectionPool pool(std::move(options));
  PgCommentRepository repository(&pool);
  auto prepared = [&](const std::string& name) {
    int64_t count = -1;
    EXPECT_TRUE(
        pool.Read(Deadline(),
                  [&](pqxx::transaction_base& txn) {
                    count = txn.exec_params1(
                                   "SELECT count(*) FROM pg_prepared_statements"
                                   " WHERE name = $1",
                                   name)[0]
                                .as<int64_t>();
                    return absl::OkStatus();
                  })
            .ok());
    return count;
  };
  EXPECT_EQ(prepared("comment_get"), 0);

  const std::string id = NewUuid();
  EXPECT_EQ(repository.Get(id, Deadline()).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(prepared("comment_get"), 1);
  EXPECT_EQ(repository.Get(id, Deadline()).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(prepared("comment_get"), 1);
  EXPECT_EQ(prepared("comment_insert"), 0);
}

}  // namespace
}  // namespace comments::storage
