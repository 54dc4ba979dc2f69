// A bounded pool of PostgreSQL connections.
//
// Connections are opened lazily, up to `size`; each prepares a statement
// when it first runs it (statement.h). A connection that
// breaks is dropped and replaced on a later call, so the service recovers by
// itself when the database comes back. Callers wait for a free connection
// no longer than their deadline. At shutdown, Close() ends every call at
// once, those blocked inside PostgreSQL included.
#ifndef COMMENTS_SERVICE_STORAGE_CONNECTION_POOL_H_
#define COMMENTS_SERVICE_STORAGE_CONNECTION_POOL_H_

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "pqxx/connection"
#include "pqxx/transaction"

namespace comments::storage {

// What the pool reports as it works, for its metrics. Called on the
// callers' threads with the pool's lock held: implementations are quick,
// thread-safe, and never call back into the pool.
class PoolObserver {
 public:
  virtual ~PoolObserver() = default;
  // Connections open (idle or in use) and handed out, after each change.
  virtual void OnConnectionCounts(int open, int in_use) = 0;
  // How long a caller waited for a connection, whether it got one or not.
  virtual void OnWaited(absl::Duration waited) = 0;
};

struct PoolOptions {
  std::string connection_string;
  int size = 8;
  // Not owned; must outlive the pool. None when null.
  PoolObserver* observer = nullptr;
};

class ConnectionPool {
 public:
  explicit ConnectionPool(PoolOptions options);
  ~ConnectionPool();

  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;

  // Runs `body` in one read-committed transaction and commits it. The
  // statement timeout is the time left until `deadline`, so a slow query
  // cannot outlive its RPC. Exceptions from `body` roll back and become a
  // status (StatusFromDbException); `body` returns a non-OK status to roll
  // back on purpose.
  absl::Status InTransaction(
      absl::Time deadline,
      const std::function<absl::Status(pqxx::work&)>& body);

  // For reads that need no transaction: `body` runs each statement on its
  // own (autocommit), which saves the BEGIN, COMMIT and per-transaction
  // timeout round trips. The statement timeout is a session setting here,
  // changed only when the time left moves to another 250 ms step, so a
  // statement may outlive its deadline by at most that step.
  absl::Status Read(
      absl::Time deadline,
      const std::function<absl::Status(pqxx::transaction_base&)>& body);

  // Connections currently open (idle or in use).
  int open_connections() const;

  // The end of the server's shutdown grace: from now on every call fails at
  // once with UNAVAILABLE (callers waiting for a connection too, and calls
  // whose statements are cancelled), and the statements running on busy
  // connections are cancelled (libpq's cancel request). A caller may start
  // another statement after its first one was cancelled, so the cancel is
  // sent again, every 50 ms, until every busy connection is
  // back or `give_up` has passed. Returns then.
  void Close(absl::Duration give_up = absl::Seconds(1));

 private:
  struct Pooled {
    std::unique_ptr<pqxx::connection> connection;
    // The session's statement_timeout, as last set by Read; 0 = none.
    int64_t session_timeout_ms = 0;
  };

  absl::StatusOr<Pooled> Acquire(absl::Time deadline);
  // Takes a connection back; one that is not `reusable` (or any, once
  // closing) is closed instead of kept.
  void Release(Pooled pooled, bool reusable);
  absl::StatusOr<Pooled> Connect();
  void ReportCounts() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status Use(absl::Time deadline,
                   const std::function<absl::Status(Pooled&)>& body);

  const PoolOptions options_;
  mutable absl::Mutex mu_;
  std::vector<Pooled> idle_ ABSL_GUARDED_BY(mu_);
  // Connections handed out. Close() cancels their statements from another
  // thread, so one is closed only after it has left this list.
  std::vector<pqxx::connection*> busy_ ABSL_GUARDED_BY(mu_);
  int open_ ABSL_GUARDED_BY(mu_) = 0;
  bool closing_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace comments::storage

#endif  // COMMENTS_SERVICE_STORAGE_CONNECTION_POOL_H_
