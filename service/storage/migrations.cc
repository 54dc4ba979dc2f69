#include "service/storage/migrations.h"

#include <set>

#include "pqxx/connection"
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

}  // namespace

absl::StatusOr<int> ApplyMigrations(const std::string& connection_string,
                                    const std::vector<Migration>& migrations) {
  try {
    pqxx::connection connection(connection_string);
    pqxx::nontransaction session(connection);
    // Held until the connection closes, even if a migration throws.
    session.exec_params("SELECT pg_advisory_lock($1)", kMigrationLockKey);
    session.exec(kCreateMigrationsTable);
    std::set<std::string> applied;
    for (const auto& row : session.exec("SELECT name FROM schema_migrations")) {
      applied.insert(row[0].as<std::string>());
    }
    session.commit();

    int count = 0;
    for (const Migration& migration : migrations) {
      if (applied.count(migration.name) > 0) continue;
      pqxx::work transaction(connection);
      transaction.exec(migration.sql);
      transaction.exec_params(
          "INSERT INTO schema_migrations (name) VALUES ($1)", migration.name);
      transaction.commit();
      log::Info("migration applied", {{"migration", migration.name}});
      ++count;
    }
    pqxx::nontransaction unlock(connection);
    unlock.exec_params("SELECT pg_advisory_unlock($1)", kMigrationLockKey);
    unlock.commit();
    return count;
  } catch (const std::exception& error) {
    return StatusFromDbException(error);
  }
}

}  // namespace comments::storage
