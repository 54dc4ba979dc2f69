// What black-box tests of the real server share: a throwaway PostgreSQL,
// fresh key files, an optional rules file, and comments_server processes on
// one database, plus moderator accounts made the way an operator makes them
// (`comments_server moderators add NAME`). As in a deployment, the schema is
// migrated by its owner (`comments_server migrate` as the superuser) and the
// servers connect as the service role, which owns nothing.
#ifndef COMMENTS_TESTS_SUPPORT_E2E_ENVIRONMENT_H_
#define COMMENTS_TESTS_SUPPORT_E2E_ENVIRONMENT_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "tests/support/postgres_instance.h"
#include "tests/support/server_process.h"

namespace comments::testing {

// The role servers connect as (the migrations' default service role).
inline constexpr char kServiceRole[] = "comments_service";

// `server_binary --database_url=<superuser> migrate` on `database`: the
// schema's owner applies the migrations and creates kServiceRole.
absl::Status MigrateAsOwner(const std::string& server_binary,
                            const PostgresInstance& postgres,
                            const std::string& database);

class E2eEnvironment {
 public:
  // Starts PostgreSQL with an empty database `database`, and writes key files
  // (made by `server_binary --generate_key_line`) and, when `rules_yaml` is
  // not empty, a rules file into a temporary folder removed on destruction.
  // Tests about crashes ask for a durable PostgreSQL.
  static absl::StatusOr<std::unique_ptr<E2eEnvironment>> Create(
      std::string server_binary, const std::string& rules_yaml = "",
      std::string database = "e2e",
      PostgresInstance::Durability durability =
          PostgresInstance::Durability::kOff);
  ~E2eEnvironment();

  E2eEnvironment(const E2eEnvironment&) = delete;
  E2eEnvironment& operator=(const E2eEnvironment&) = delete;

  // The database as the service role, the URL servers get.
  std::string ServiceDatabaseUri() const;
  // The flags that point a server at the database (as the service role),
  // keys and rules.
  std::vector<std::string> ServerArgs() const;
  // A server on 127.0.0.1 (port 0 unless `extra_args` has --listen=).
  absl::StatusOr<std::unique_ptr<ServerProcess>> StartServer(
      std::vector<std::string> extra_args = {}) const;
  // Adds a moderator and returns the bearer token printed for it.
  absl::StatusOr<std::string> AddModerator(const std::string& name) const;

  PostgresInstance& postgres() { return *postgres_; }
  const std::string& database() const { return database_; }
  // The temporary folder; tests may put their own files there.
  const std::string& dir() const { return dir_; }

 private:
  E2eEnvironment() = default;

  std::string server_binary_;
  std::string database_;
  std::string dir_;
  bool has_rules_ = false;
  std::unique_ptr<PostgresInstance> postgres_;
};

}  // namespace comments::testing

#endif  // COMMENTS_TESTS_SUPPORT_E2E_ENVIRONMENT_H_
