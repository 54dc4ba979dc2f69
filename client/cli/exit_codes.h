// commentctl's exit codes: what scripts can rely on. Documented in the
// README and in `commentctl --help`.
#ifndef COMMENTS_CLIENT_CLI_EXIT_CODES_H_
#define COMMENTS_CLIENT_CLI_EXIT_CODES_H_

#include "absl/status/status.h"

namespace comments::cli {

enum ExitCode : int {
  kExitOk = 0,
  // Anything not below, e.g. INTERNAL.
  kExitOther = 1,
  // Bad flags or arguments, or a request the server found invalid
  // (INVALID_ARGUMENT, OUT_OF_RANGE).
  kExitUsage = 2,
  kExitNotFound = 3,
  // The comment is not in a state that allows it (FAILED_PRECONDITION), it
  // changed since it was read (ABORTED), or it already exists
  // (ALREADY_EXISTS).
  kExitConflict = 4,
  // No token, a bad token, or not allowed (UNAUTHENTICATED,
  // PERMISSION_DENIED).
  kExitAuth = 5,
  // Try again later: UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED.
  kExitUnavailable = 6,
};

ExitCode ExitCodeFor(absl::StatusCode code);

// The table above as text, for --help.
const char* ExitCodeHelp();

}  // namespace comments::cli

#endif  // COMMENTS_CLIENT_CLI_EXIT_CODES_H_
