// The one place where database exceptions become status codes.
#ifndef COMMENTS_SERVICE_STORAGE_DB_ERRORS_H_
#define COMMENTS_SERVICE_STORAGE_DB_ERRORS_H_

#include <exception>

#include "absl/status/status.h"

namespace comments::storage {

// Maps an exception thrown by libpqxx (or the standard library beneath it)
// to a status a caller can act on:
//   lost connection, server shutting down, commit in doubt -> UNAVAILABLE
//   statement timeout (the RPC deadline)                    ->
//   DEADLINE_EXCEEDED serialization failure, deadlock -> ABORTED anything else
//   -> INTERNAL
// The message never carries the database's own text, which can quote
// parameter values; that text goes to the log with the SQLSTATE only.
absl::Status StatusFromDbException(const std::exception& error);

}  // namespace comments::storage

#endif  // COMMENTS_SERVICE_STORAGE_DB_ERRORS_H_
