// The database password comes from a file (a Docker secret), never from the
// command line or the connection string, where `ps` and logs would show it.
#ifndef COMMENTS_SERVICE_STARTUP_DATABASE_PASSWORD_H_
#define COMMENTS_SERVICE_STARTUP_DATABASE_PASSWORD_H_

#include <string>

#include "absl/status/status.h"

namespace comments::startup {

// Hands the password in `path` to libpq through PGPASSWORD, which libpq
// reads on every connection. An empty path changes nothing (a local trust
// setup, or a password already in the environment). NOT_FOUND naming the
// path when the file cannot be read; the password itself is never in an
// error.
absl::Status UseDatabasePasswordFile(const std::string& path);

}  // namespace comments::startup

#endif  // COMMENTS_SERVICE_STARTUP_DATABASE_PASSWORD_H_
