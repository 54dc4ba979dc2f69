#include "service/storage/connection_pool.h"

#include <algorithm>
#include <iterator>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "pqxx/pqxx"
#include "service/common/json_log.h"
#include "service/storage/db_errors.h"

namespace comments::storage {
namespace {

// The statement that bounds every transaction by its caller's deadline.
constexpr char kSetStatementTimeout[] = "set_statement_timeout";

// How often Close() cancels again what is still running.
constexpr absl::Duration kRecancelInterval = absl::Milliseconds(50);

absl::Status ShuttingDown() {
  return absl::UnavailableError("the server is shutting down; try again");
}

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
    return Pooled{std::move(connection), 0};
  } catch (const std::exception& error) {
    return StatusFromDbException(error);
  }
}

absl::StatusOr<ConnectionPool::Pooled> ConnectionPool::Acquire(
    absl::Time deadline) {
  const absl::Time asked = absl::Now();
  {
    absl::MutexLock lock(&mu_);
    auto available = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return closing_ || !idle_.empty() || open_ < options_.size;
    };
    const bool got =
        mu_.AwaitWithDeadline(absl::Condition(&available), deadline);
    if (options_.observer != nullptr) {
      options_.observer->OnWaited(absl::Now() - asked);
    }
    if (!got) {
      return absl::DeadlineExceededError(
          "no database connection became free before the deadline");
    }
    if (closing_) return ShuttingDown();
    if (!idle_.empty()) {
      Pooled pooled = std::move(idle_.back());
      idle_.pop_back();
      busy_.push_back(pooled.connection.get());
      ReportCounts();
      return pooled;
    }
    ++open_;  // Reserve the slot; connect outside the lock.
  }
  absl::StatusOr<Pooled> pooled = Connect();
  absl::MutexLock lock(&mu_);
  if (pooled.ok() && !closing_) {
    busy_.push_back(pooled->connection.get());
    ReportCounts();
    return pooled;
  }
  --open_;
  ReportCounts();
  // A connection made while closing is closed after the lock is released.
  return pooled.ok() ? ShuttingDown() : pooled.status();
}

void ConnectionPool::ReportCounts() {
  if (options_.observer != nullptr) {
    options_.observer->OnConnectionCounts(open_,
                                          static_cast<int>(busy_.size()));
  }
}

void ConnectionPool::Release(Pooled pooled, bool reusable) {
  std::vector<Pooled> closed;
  {
    absl::MutexLock lock(&mu_);
    auto busy = std::find(busy_.begin(), busy_.end(), pooled.connection.get());
    if (busy != busy_.end()) busy_.erase(busy);
    if (reusable && !closing_ && pooled.connection->is_open()) {
      idle_.push_back(std::move(pooled));
      ReportCounts();
      return;
    }
    closed.push_back(std::move(pooled));
    if (!closing_) {
      // A lost connection usually means the server restarted or went away,
      // so the idle ones are dead too: drop them all rather than fail one
      // call per stale connection once the database is back.
      std::move(idle_.begin(), idle_.end(), std::back_inserter(closed));
      idle_.clear();
    }
    open_ -= static_cast<int>(closed.size());
    ReportCounts();
  }
  // `closed` disconnects here, outside the lock.
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
  const bool reusable = status.code() != absl::StatusCode::kUnavailable &&
                        pooled->connection->is_open();
  Release(*std::move(pooled), reusable);
  if (!status.ok()) {
    absl::MutexLock lock(&mu_);
    // Whatever stopped the call (most likely its statement was cancelled),
    // the reason is the shutdown, and another replica can serve a retry.
    if (closing_) return ShuttingDown();
  }
  return status;
}

void ConnectionPool::Close(absl::Duration give_up) {
  const absl::Time give_up_at = absl::Now() + give_up;
  std::vector<Pooled> idle;
  absl::MutexLock lock(&mu_);
  closing_ = true;
  idle.swap(idle_);
  open_ -= static_cast<int>(idle.size());
  ReportCounts();
  auto all_back = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return busy_.empty();
  };
  while (!busy_.empty() && absl::Now() < give_up_at) {
    // Under the lock, so that no busy connection is closed meanwhile.
    // libpq's cancel request is made for use from another thread.
    for (pqxx::connection* connection : busy_) {
      try {
        connection->cancel_query();
      } catch (const std::exception& error) {
        log::Warning("cannot cancel a database statement",
                     {{"error", error.what()}});
      }
    }
    mu_.AwaitWithTimeout(absl::Condition(&all_back), kRecancelInterval);
  }
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
