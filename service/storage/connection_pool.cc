#include "service/storage/connection_pool.h"

#include <algorithm>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "pqxx/pqxx"
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

// Read's session timeouts move in steps so that callers with similar
// deadlines share a setting instead of changing it on every call.
int64_t RoundUpToStep(int64_t millis) {
  constexpr int64_t kStepMs = 250;
  if (millis == 0) return 0;
  return (millis + kStepMs - 1) / kStepMs * kStepMs;
}

}  // namespace

ConnectionPool::ConnectionPool(PoolOptions options)
    : options_(std::move(options)) {}

ConnectionPool::~ConnectionPool() = default;

int ConnectionPool::open_connections() const {
  absl::MutexLock lock(&mu_);
  return open_;
}

absl::StatusOr<ConnectionPool::Pooled> ConnectionPool::Connect() {
  try {
    auto connection =
        std::make_unique<pqxx::connection>(options_.connection_string);
    connection->prepare(
        kSetStatementTimeout,
        "SELECT set_config('statement_timeout', $1::text, $2::boolean)");
    for (const auto& [name, sql] : options_.prepared_statements) {
      connection->prepare(name, sql);
    }
    return Pooled{std::move(connection), 0};
  } catch (const std::exception& error) {
    return StatusFromDbException(error);
  }
}

absl::StatusOr<ConnectionPool::Pooled> ConnectionPool::Acquire(
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
      Pooled pooled = std::move(idle_.back());
      idle_.pop_back();
      return pooled;
    }
    ++open_;  // Reserve the slot; connect outside the lock.
  }
  absl::StatusOr<Pooled> pooled = Connect();
  if (!pooled.ok()) {
    absl::MutexLock lock(&mu_);
    --open_;
  }
  return pooled;
}

void ConnectionPool::Release(Pooled pooled) {
  absl::MutexLock lock(&mu_);
  if (pooled.connection != nullptr && pooled.connection->is_open()) {
    idle_.push_back(std::move(pooled));
    return;
  }
  // A lost connection usually means the server restarted or went away, so
  // the idle ones are dead too: drop them all rather than fail one call per
  // stale connection once the database is back.
  open_ -= 1 + static_cast<int>(idle_.size());
  idle_.clear();
}

absl::Status ConnectionPool::Use(
    absl::Time deadline, const std::function<absl::Status(Pooled&)>& body) {
  absl::StatusOr<Pooled> pooled = Acquire(deadline);
  if (!pooled.ok()) return pooled.status();
  absl::Status status;
  try {
    status = body(*pooled);
  } catch (const std::exception& error) {
    status = StatusFromDbException(error);
  }
  // A connection that failed at the transport level is not reused.
  if (status.code() == absl::StatusCode::kUnavailable ||
      !pooled->connection->is_open()) {
    pooled->connection.reset();
  }
  Release(*std::move(pooled));
  return status;
}

absl::Status ConnectionPool::InTransaction(
    absl::Time deadline, const std::function<absl::Status(pqxx::work&)>& body) {
  return Use(deadline, [&](Pooled& pooled) {
    pqxx::work transaction(*pooled.connection);
    transaction.exec_prepared(kSetStatementTimeout,
                              std::to_string(TimeoutMillis(deadline)), true);
    absl::Status status = body(transaction);
    if (!status.ok()) {
      transaction.abort();
      return status;
    }
    transaction.commit();
    return absl::OkStatus();
  });
}

absl::Status ConnectionPool::Read(
    absl::Time deadline,
    const std::function<absl::Status(pqxx::transaction_base&)>& body) {
  return Use(deadline, [&](Pooled& pooled) {
    pqxx::nontransaction session(*pooled.connection);
    const int64_t timeout_ms = RoundUpToStep(TimeoutMillis(deadline));
    if (timeout_ms != pooled.session_timeout_ms) {
      session.exec_prepared(kSetStatementTimeout, std::to_string(timeout_ms),
                            false);
      pooled.session_timeout_ms = timeout_ms;
    }
    return body(session);
  });
}

}  // namespace comments::storage
