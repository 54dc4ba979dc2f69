// A throwaway PostgreSQL server for tests: initdb into a fresh temporary
// folder, started on a free port on 127.0.0.1, stopped and removed when the
// object is destroyed. When the test runs as root the server runs as the
// "postgres" system user, since PostgreSQL refuses to run as root.
#ifndef COMMENTS_TESTS_SUPPORT_POSTGRES_INSTANCE_H_
#define COMMENTS_TESTS_SUPPORT_POSTGRES_INSTANCE_H_

#include <memory>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace comments::testing {

class PostgresInstance {
 public:
  // Whether the server writes durably. Off by default: throwaway data needs
  // no fsync, and tests run faster without it.
  enum class Durability { kOff, kOn };

  // Finds the server binaries in $PG_BINDIR, else /usr/lib/postgresql/15/bin.
  static absl::StatusOr<std::unique_ptr<PostgresInstance>> Start(
      Durability durability = Durability::kOff);
  ~PostgresInstance();

  PostgresInstance(const PostgresInstance&) = delete;
  PostgresInstance& operator=(const PostgresInstance&) = delete;

  // libpq keyword/value connection string for `database` as `user` (the
  // superuser unless given; every role logs in without a password).
  std::string ConnectionString(std::string_view database = "postgres",
                               std::string_view user = "postgres") const;
  // Same as a postgresql:// URI.
  std::string ConnectionUri(std::string_view database = "postgres",
                            std::string_view user = "postgres") const;

  // CREATE DATABASE; a fresh empty database per test keeps tests independent.
  absl::Status CreateDatabase(std::string_view name);

  // Runs SQL through psql and returns its unaligned, tuples-only output.
  absl::StatusOr<std::string> Query(std::string_view database,
                                    std::string_view sql);

  // Fast shutdown, keeping the data; Resume starts it again on the same port.
  absl::Status Pause();
  absl::Status Resume();
  // `pg_ctl restart -m fast`: returns once the server accepts connections.
  absl::Status Restart();
  // SIGKILL to the postmaster, as a crash would; returns once it and every
  // process it had started are gone (Resume then runs crash recovery).
  absl::Status KillPostmaster();

  int port() const { return port_; }

 private:
  PostgresInstance() = default;
  std::string bin_dir_;
  std::string data_dir_;  // inside root_dir_
  std::string root_dir_;
  int port_ = 0;
  bool running_ = false;
  Durability durability_ = Durability::kOff;
};

}  // namespace comments::testing

#endif  // COMMENTS_TESTS_SUPPORT_POSTGRES_INSTANCE_H_
