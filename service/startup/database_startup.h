// The database start-up that `comments_server` (serving) and its
// `migrate` and `moderators` subcommands share, so that all three find the
// database the same way and never run against an old schema.
#ifndef COMMENTS_SERVICE_STARTUP_DATABASE_STARTUP_H_
#define COMMENTS_SERVICE_STARTUP_DATABASE_STARTUP_H_

#include <string>

#include "absl/status/status.h"
#include "service/startup/startup_retry.h"

namespace comments::startup {

struct DatabaseStartup {
  std::string database_url;
  // Empty: no password file (see database_password.h).
  std::string password_file;
  // The role the migrations grant row privileges to.
  std::string service_role;
  RetryPolicy retry;
};

// Reads the password file, bounds each connection attempt (PGCONNECT_TIMEOUT,
// 3 s unless set: a missing database then fails calls quickly with
// UNAVAILABLE instead of hanging them), waits for the database while it is
// UNAVAILABLE, and applies the pending migrations under their advisory lock.
// The first error that waiting cannot cure is returned; progress is logged.
absl::Status StartDatabase(const DatabaseStartup& startup);

}  // namespace comments::startup

#endif  // COMMENTS_SERVICE_STARTUP_DATABASE_STARTUP_H_
