// The pool's last act at shutdown, against a real PostgreSQL: Close()
// cancels the statements of busy connections and releases the callers
// waiting for one, so no call outlives the server's grace period.
#include "service/storage/connection_pool.h"

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "pqxx/pqxx"
#include "tests/support/postgres_instance.h"

namespace comments::storage {
namespace {

// A statement that cannot finish while the test holds this advisory lock.
constexpr int64_t kBlockingLock = 4343;
constexpr char kBlockedStatement[] =
    "SELECT pg_advisory_xact_lock_shared(4343)";
constexpr char kCountWaiting[] =
    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"
    " AND NOT granted";

class ConnectionPoolTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto postgres = comments::testing::PostgresInstance::Start();
    ASSERT_TRUE(postgres.ok()) << postgres.status();
    postgres_ = postgres->release();
  }
  static void TearDownTestSuite() {
    delete postgres_;
    postgres_ = nullptr;
  }

  // A fresh database named after the test.
  static std::string NewDatabase(const std::string& name) {
    EXPECT_TRUE(postgres_->CreateDatabase(name).ok());
    return postgres_->ConnectionString(name);
  }

  static comments::testing::PostgresInstance* postgres_;
};

comments::testing::PostgresInstance* ConnectionPoolTest::postgres_ = nullptr;

TEST_F(ConnectionPoolTest, CloseCancelsStatementsAndReleasesWaitingCallers) {
  const std::string conninfo = NewDatabase("pool");
  PoolOptions options;
  options.connection_string = conninfo;
  options.size = 2;
  ConnectionPool pool(std::move(options));

  pqxx::connection holder(conninfo);
  pqxx::nontransaction hold(holder);
  hold.exec_params("SELECT pg_advisory_lock($1)", kBlockingLock);

  // Deadlines far beyond the test: only Close() can end these calls soon.
  const absl::Time far = absl::Now() + absl::Seconds(60);
  absl::Mutex mu;
  std::vector<absl::Status> outcomes;
  std::vector<std::thread> callers;
  for (int i = 0; i < 4; ++i) {
    callers.emplace_back([&, i] {
      absl::Status status =
          i % 2 == 0 ? pool.InTransaction(far,
                                          [](pqxx::work& txn) {
                                            txn.exec(kBlockedStatement);
                                            return absl::OkStatus();
                                          })
                     : pool.Read(far, [](pqxx::transaction_base& txn) {
                         txn.exec(kBlockedStatement);
                         return absl::OkStatus();
                       });
      absl::MutexLock lock(&mu);
      outcomes.push_back(status);
    });
  }
  // Both connections blocked in PostgreSQL, two callers waiting for one.
  const absl::Time give_up = absl::Now() + absl::Seconds(20);
  int blocked = 0;
  while (blocked < 2 && absl::Now() < give_up) {
    blocked = hold.exec(kCountWaiting)[0][0].as<int>();
  }
  ASSERT_EQ(blocked, 2);

  const absl::Time closing = absl::Now();
  pool.Close();
  for (std::thread& caller : callers) caller.join();
  EXPECT_LT(absl::Now() - closing, absl::Seconds(2));
  ASSERT_EQ(outcomes.size(), 4u);
  for (const absl::Status& outcome : outcomes) {
    EXPECT_EQ(outcome.code(), absl::StatusCode::kUnavailable) << outcome;
  }
  // Cancelled in PostgreSQL, not just abandoned: nothing waits on the lock
  // the test still holds, and the pool holds no connection.
  EXPECT_EQ(hold.exec(kCountWaiting)[0][0].as<int>(), 0);
  EXPECT_EQ(pool.open_connections(), 0);

  // Later calls fail at once, without touching the database.
  const absl::Status later =
      pool.Read(far, [](pqxx::transaction_base&) { return absl::OkStatus(); });
  EXPECT_EQ(later.code(), absl::StatusCode::kUnavailable) << later;
  hold.exec_params("SELECT pg_advisory_unlock($1)", kBlockingLock);
}

TEST_F(ConnectionPoolTest, CloseWithNothingRunningReturnsAtOnce) {
  PoolOptions options;
  options.connection_string = NewDatabase("idle");
  options.size = 2;
  ConnectionPool pool(std::move(options));
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  ASSERT_TRUE(pool.Read(deadline,
                        [](pqxx::transaction_base& txn) {
                          txn.exec("SELECT 1");
                          return absl::OkStatus();
                        })
                  .ok());
  EXPECT_EQ(pool.open_connections(), 1);
  const absl::Time closing = absl::Now();
  pool.Close(absl::Seconds(30));
  EXPECT_LT(absl::Now() - closing, absl::Seconds(1));
  EXPECT_EQ(pool.open_connections(), 0);
}

}  // namespace
}  // namespace comments::storage
