#include "service/storage/migrations.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "pqxx/connection"
#include "pqxx/except"
#include "pqxx/nontransaction"
#include "pqxx/pqxx"
#include "pqxx/transaction"
#include "service/common/json_log.h"
#include "service/storage/db_errors.h"

namespace comments::storage {
namespace {

// An arbitrary constant shared by every replica of this service.
constexpr int64_t kMigrationLockKey = 0x636f6d6d656e7473;  // "comments"

constexpr char kCreateMigrationsTable[] =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " name text PRIMARY KEY,"
    " applied_at timestamptz NOT NULL DEFAULT now())";

constexpr char kMigrationsTableExists[] =
    "SELECT to_regclass('schema_migrations') IS NOT NULL";

constexpr char kAppliedMigrations[] = "SELECT name FROM schema_migrations";

constexpr char kRecordMigration[] =
    "INSERT INTO schema_migrations (name) VALUES ($1)";

// Read by the migrations that grant the service's privileges (0007).
constexpr char kSetServiceRole[] =
    "SELECT set_config('comments.service_role', $1, true)";

std::set<std::string> Applied(pqxx::transaction_base& session) {
  std::set<std::string> applied;
  if (!session.exec(kMigrationsTableExists)[0][0].as<bool>()) return applied;
  for (const auto& row : session.exec(kAppliedMigrations)) {
    applied.insert(row[0].as<std::string>());
  }
  return applied;
}

std::vector<std::string> Pending(const std::set<std::string>& applied,
                                 const std::vector<Migration>& migrations) {
  std::vector<std::string> pending;
  for (const Migration& migration : migrations) {
    if (applied.count(migration.name) == 0) pending.push_back(migration.name);
  }
  return pending;
}

// The first line of the database's message. Migrations carry no request
// data, so unlike other statements their errors may be shown as they are:
// the operator needs them.
std::string FirstLine(const char* what) {
  absl::string_view text(what);
  return std::string(text.substr(0, text.find('\n')));
}

// A failure while `step`: connection trouble stays UNAVAILABLE (start-up
// waits for the database); anything else is for the operator to fix.
absl::Status MigrationError(const std::exception& error,
                            const std::string& step) {
  absl::Status status = StatusFromDbException(error);
  const auto* sql = dynamic_cast<const pqxx::sql_error*>(&error);
  if (status.code() == absl::StatusCode::kUnavailable || sql == nullptr) {
    return status;
  }
  std::string hint;
  // libpqxx 6.4 leaves sqlstate() empty for the errors it has a class for.
  if (dynamic_cast<const pqxx::insufficient_privilege*>(&error) != nullptr) {
    hint =
        "; this role lacks a privilege the step needs: run `comments_server "
        "migrate` as the schema's owner (it also grants the service role "
        "its privileges)";
  }
  return absl::FailedPreconditionError(
      absl::StrCat(step, " failed: ", FirstLine(error.what()), hint));
}

}  // namespace

absl::StatusOr<std::vector<std::string>> PendingMigrations(
    const std::string& connection_string,
    const std::vector<Migration>& migrations) {
  try {
    pqxx::connection connection(connection_string);
    pqxx::nontransaction session(connection);
    return Pending(Applied(session), migrations);
  } catch (const std::exception& error) {
    return StatusFromDbException(error);
  }
}

absl::StatusOr<int> ApplyMigrations(const std::string& connection_string,
                                    const std::vector<Migration>& migrations,
                                    const MigrationOptions& options) {
  std::string step = "reading schema_migrations";
  try {
    pqxx::connection connection(connection_string);
    {
      pqxx::nontransaction probe(connection);
      if (Pending(Applied(probe), migrations).empty()) return 0;
    }

    step = "creating schema_migrations";
    pqxx::nontransaction session(connection);
    // Held until the connection closes, even if a migration throws.
    session.exec_params("SELECT pg_advisory_lock($1)", kMigrationLockKey);
    session.exec(kCreateMigrationsTable);
    const std::vector<std::string> pending =
        Pending(Applied(session), migrations);
    session.commit();
    if (pending.empty()) return 0;  // another replica applied them meanwhile

    const std::set<std::string> to_apply(pending.begin(), pending.end());
    int count = 0;
    for (const Migration& migration : migrations) {
      if (to_apply.count(migration.name) == 0) continue;
      step = absl::StrCat("migration ", migration.name);
      pqxx::work transaction(connection);
      transaction.exec_params(kSetServiceRole, options.service_role);
      transaction.exec(migration.sql);
      transaction.exec_params(kRecordMigration, migration.name);
      transaction.commit();
      log::Info("migration applied", {{"migration", migration.name}});
      ++count;
    }
    pqxx::nontransaction unlock(connection);
    unlock.exec_params("SELECT pg_advisory_unlock($1)", kMigrationLockKey);
    unlock.commit();
    return count;
  } catch (const std::exception& error) {
    return MigrationError(error, step);
  }
}

}  // namespace comments::storage
