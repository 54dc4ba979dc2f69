#include "client/cli/exit_codes.h"

namespace comments::cli {

ExitCode ExitCodeFor(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kOk:
      return kExitOk;
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kOutOfRange:
      return kExitUsage;
    case absl::StatusCode::kNotFound:
      return kExitNotFound;
    case absl::StatusCode::kAlreadyExists:
    case absl::StatusCode::kFailedPrecondition:
    case absl::StatusCode::kAborted:
      return kExitConflict;
    case absl::StatusCode::kUnauthenticated:
    case absl::StatusCode::kPermissionDenied:
      return kExitAuth;
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kDeadlineExceeded:
    case absl::StatusCode::kResourceExhausted:
      return kExitUnavailable;
    default:
      return kExitOther;
  }
}

const char* ExitCodeHelp() {
  return "Exit codes:\n"
         "  0  success\n"
         "  1  other error (e.g. INTERNAL)\n"
         "  2  usage error, or a request the server found invalid\n"
         "  3  not found\n"
         "  4  conflict: wrong state, changed since read (etag), or exists\n"
         "  5  no token, bad token, or not allowed\n"
         "  6  unavailable, deadline exceeded or rate limited: retry later\n";
}

}  // namespace comments::cli
