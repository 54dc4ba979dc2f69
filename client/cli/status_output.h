// How commentctl reports a failed call on standard error: the code, the
// server's message, and every detail spelled out (each bad field, the
// reason, how long to wait), as text or, with --json, as one JSON object.
#ifndef COMMENTS_CLIENT_CLI_STATUS_OUTPUT_H_
#define COMMENTS_CLIENT_CLI_STATUS_OUTPUT_H_

#include <ostream>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "google/rpc/status.pb.h"
#include "nlohmann/json.hpp"

namespace comments::cli {

// "NOT_FOUND", "FAILED_PRECONDITION", ... as gRPC spells them.
std::string CodeName(absl::StatusCode code);

// `status` as one JSON object: code, exit_code, message, and reason,
// field_violations and retry_delay_seconds when the server sent them.
nlohmann::json StatusJson(const absl::Status& status);

// Writes `status` to `err`, prefixed with `subject` (e.g. a comment name)
// when given:
//   commentctl: error: INVALID_ARGUMENT: invalid request ...
//     comment.author_email: is not a valid email address
// or, with `json`, {"error":{...StatusJson...},"subject":...} on one line.
void PrintError(std::ostream& err, const absl::Status& status, bool json,
                std::string_view subject = "");

// absl::Status -> google.rpc.Status, payloads becoming details; for results
// that carry a status, like a batch's.
google::rpc::Status ToRpcStatus(const absl::Status& status);

}  // namespace comments::cli

#endif  // COMMENTS_CLIENT_CLI_STATUS_OUTPUT_H_
