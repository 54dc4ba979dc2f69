// Versioned schema migrations, applied at start-up.
//
// Migrations are the files service/storage/migrations/NNNN_name.sql, applied
// in name order, each in its own transaction, and recorded in
// schema_migrations. A session-level advisory lock serialises replicas that
// start at the same time: the second waits, then finds nothing to do.
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

// Compiled into the binary from the migrations folder.
const std::vector<Migration>& EmbeddedMigrations();

// Applies the migrations not yet recorded; returns how many it applied.
absl::StatusOr<int> ApplyMigrations(
    const std::string& connection_string,
    const std::vector<Migration>& migrations = EmbeddedMigrations());

}  // namespace comments::storage

#endif  // COMMENTS_SERVICE_STORAGE_MIGRATIONS_H_
