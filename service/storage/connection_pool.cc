#include "service/storage/connection_pool.h"

#include <algorithm>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "pqxx/except"
#include "service/storage/db_errors.h"

namespace comments::storage {
namespace {

// The statement that bounds every transaction by its caller's deadline.
constexpr char kSetStatementTimeout[] = "set_statement_timeout";

int64_t TimeoutMillis(absl::Time deadline) {
  if (deadline == absl::InfiniteFuture()) return 0;  // 0 means no limit
  return std::max<int64_t>(1,
                           absl::ToInt64Milliseconds(deadline - absl::Now()));
}

}  // namespace

ConnectionPool::ConnectionPool(PoolOptions options)
    : options_(std::move(options)) {}

ConnectionPool::~ConnectionPool() = default;

int ConnectionPool::open_connections() const {
  absl::MutexLock lock(&mu_);
  return open_;
}

absl::StatusOr<std::unique_ptr<pqxx::connection>> ConnectionPool::Connect() {
  try {
    auto connection =
        std::make_unique<pqxx::connection>(options_.connection_string);
    connection->prepare(
        kSetStatementTimeout,
        "SELECT set_config('statement_timeout', $1::text, true)");
    for (const auto& [name, sql] : options_.prepared_statements) {
      connection->prepare(name, sql);
    }
    return connection;
  } catch (const std::exception& error) {
    return StatusFromDbException(error);
  }
}

absl::StatusOr<std::unique_ptr<pqxx::connection>> ConnectionPool::Acquire(
    absl::Time deadline) {
  {
    absl::MutexLock lock(&mu_);
    auto available = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return !idle_.empty() || open_ < options_.size;
    };
    if (!mu_.AwaitWithDeadline(absl::Condition(&available), deadline)) {
      return absl::DeadlineExceededError(
          "no database connection became free before the deadline");
    }
    if (!idle_.empty()) {
      std::unique_ptr<pqxx::connection> connection = std::move(idle_.back());
      idle_.pop_back();
      return connection;
    }
    ++open_;  // Reserve the slot; connect outside the lock.
  }
  absl::StatusOr<std::unique_ptr<pqxx::connection>> connection = Connect();
  if (!connection.ok()) {
    absl::MutexLock lock(&mu_);
    --open_;
  }
  return connection;
}

void ConnectionPool::Release(std::unique_ptr<pqxx::connection> connection) {
  absl::MutexLock lock(&mu_);
  if (connection != nullptr && connection->is_open()) {
    idle_.push_back(std::move(connection));
    return;
  }
  // A lost connection usually means the server restarted or went away, so
  // the idle ones are dead too: drop them all rather than fail one call per
  // stale connection once the database is back.
  open_ -= 1 + static_cast<int>(idle_.size());
  idle_.clear();
}

absl::Status ConnectionPool::WithConnection(
    absl::Time deadline,
    const std::function<absl::Status(pqxx::connection&)>& body) {
  absl::StatusOr<std::unique_ptr<pqxx::connection>> connection =
      Acquire(deadline);
  if (!connection.ok()) return connection.status();
  absl::Status status;
  try {
    status = body(**connection);
  } catch (const std::exception& error) {
    status = StatusFromDbException(error);
  }
  // A connection that failed at the transport level is not reused.
  if (status.code() == absl::StatusCode::kUnavailable ||
      !(*connection)->is_open()) {
    connection->reset();
  }
  Release(std::move(*connection));
  return status;
}

absl::Status ConnectionPool::InTransaction(
    absl::Time deadline, const std::function<absl::Status(pqxx::work&)>& body) {
  return WithConnection(deadline, [&](pqxx::connection& connection) {
    pqxx::work transaction(connection);
    transaction.exec_prepared(kSetStatementTimeout,
                              std::to_string(TimeoutMillis(deadline)));
    absl::Status status = body(transaction);
    if (!status.ok()) {
      transaction.abort();
      return status;
    }
    transaction.commit();
    return absl::OkStatus();
  });
}

}  // namespace comments::storage
