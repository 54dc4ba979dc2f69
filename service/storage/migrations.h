// Versioned schema migrations.
//
// Migrations are the files service/storage/migrations/NNNN_name.sql, applied
// in name order, each in its own transaction, and recorded in
// schema_migrations. A session-level advisory lock serialises replicas that
// start at the same time: the second waits, then finds nothing to do.
//
// Two database roles take part. The owner runs the migrations and owns every
// object they create. The service role is what comments_server connects as:
// it owns nothing and holds row privileges only (migration 0007 and the
// default privileges it sets), so the service can neither drop a table nor
// disable the audit trail's triggers.
#ifndef COMMENTS_SERVICE_STORAGE_MIGRATIONS_H_
#define COMMENTS_SERVICE_STORAGE_MIGRATIONS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace comments::storage {

struct Migration {
  std::string name;  // file name, e.g. "0001_comments.sql"
  std::string sql;
};

inline constexpr char kDefaultServiceRole[] = "comments_service";

struct MigrationOptions {
  // The role the migrations grant the service's privileges to. Migration
  // 0007 creates it (LOGIN, without a password) when it does not exist yet,
  // which needs the CREATEROLE privilege.
  std::string service_role = kDefaultServiceRole;
};

// Compiled into the binary from the migrations folder.
const std::vector<Migration>& EmbeddedMigrations();

// Names of the migrations not yet recorded, in order. Only reads, so the
// service role may ask.
absl::StatusOr<std::vector<std::string>> PendingMigrations(
    const std::string& connection_string,
    const std::vector<Migration>& migrations = EmbeddedMigrations());

// Applies the migrations not yet recorded; returns how many it applied.
// When none is pending it takes no lock and runs no DDL, so a role that may
// not create anything gets 0. When some are pending and the connected role
// may not apply them: FAILED_PRECONDITION naming the first one.
absl::StatusOr<int> ApplyMigrations(
    const std::string& connection_string,
    const std::vector<Migration>& migrations = EmbeddedMigrations(),
    const MigrationOptions& options = MigrationOptions());

}  // namespace comments::storage

#endif  // COMMENTS_SERVICE_STORAGE_MIGRATIONS_H_
