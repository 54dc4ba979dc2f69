// A bounded pool of PostgreSQL connections.
//
// Connections are opened lazily, up to `size`, and every statement the
// repositories use is prepared on each new connection. A connection that
// breaks is dropped and replaced on a later call, so the service recovers by
// itself when the database comes back. Callers wait for a free connection
// no longer than their deadline.
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

struct PoolOptions {
  std::string connection_string;
  int size = 8;
  // Statements prepared on every connection: name -> SQL.
  std::vector<std::pair<std::string, std::string>> prepared_statements;
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

 private:
  struct Pooled {
    std::unique_ptr<pqxx::connection> connection;
    // The session's statement_timeout, as last set by Read; 0 = none.
    int64_t session_timeout_ms = 0;
  };

  absl::StatusOr<Pooled> Acquire(absl::Time deadline);
  void Release(Pooled pooled);
  absl::StatusOr<Pooled> Connect();
  absl::Status Use(absl::Time deadline,
                   const std::function<absl::Status(Pooled&)>& body);

  const PoolOptions options_;
  mutable absl::Mutex mu_;
  std::vector<Pooled> idle_ ABSL_GUARDED_BY(mu_);
  int open_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace comments::storage

#endif  // COMMENTS_SERVICE_STORAGE_CONNECTION_POOL_H_
