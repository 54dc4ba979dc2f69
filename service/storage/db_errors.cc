#include "service/storage/db_errors.h"

#include <string>

#include "absl/strings/match.h"
#include "pqxx/except"
#include "service/common/json_log.h"

namespace comments::storage {
namespace {

absl::Status FromSqlState(const std::string& state) {
  if (state == "57014") {  // query_canceled: our statement_timeout fired.
    return absl::DeadlineExceededError("database statement timed out");
  }
  if (state == "40001" || state == "40P01") {
    return absl::AbortedError("transaction conflict; retry");
  }
  // Class 08 (connection exception), 57P01-57P03 (admin shutdown, crash
  // shutdown, cannot connect now) and class 53 (insufficient resources,
  // e.g. too many connections) all clear up by themselves.
  if (absl::StartsWith(state, "08") || absl::StartsWith(state, "57P") ||
      absl::StartsWith(state, "53")) {
    return absl::UnavailableError("database unavailable");
  }
  return absl::InternalError("database error");
}

}  // namespace

absl::Status StatusFromDbException(const std::exception& error) {
  if (dynamic_cast<const pqxx::broken_connection*>(&error) != nullptr) {
    return absl::UnavailableError("database unavailable");
  }
  if (dynamic_cast<const pqxx::in_doubt_error*>(&error) != nullptr) {
    // The commit may or may not have happened; a retry with the same
    // request_id is safe either way.
    return absl::UnavailableError("database connection lost during commit");
  }
  if (dynamic_cast<const pqxx::transaction_rollback*>(&error) != nullptr) {
    // Deadlocks (40P01) and serialization failures (40001): libpqxx 6.4
    // throws these outside sql_error, with no SQLSTATE.
    return absl::AbortedError("transaction conflict; retry");
  }
  if (const auto* sql = dynamic_cast<const pqxx::sql_error*>(&error)) {
    absl::Status status = FromSqlState(sql->sqlstate());
    if (status.code() == absl::StatusCode::kInternal) {
      log::Error("database error", {{"sqlstate", sql->sqlstate()}});
    }
    return status;
  }
  log::Error("database client error", {{"what", error.what()}});
  return absl::InternalError("database error");
}

}  // namespace comments::storage
