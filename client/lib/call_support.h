// What every client call shares: deadlines, retries on UNAVAILABLE with
// backoff, and decoding grpc::Status (with its google.rpc details) into
// absl::Status so callers read BadRequest or RetryInfo as data
// (error_details.h).
#ifndef COMMENTS_CLIENT_LIB_CALL_SUPPORT_H_
#define COMMENTS_CLIENT_LIB_CALL_SUPPORT_H_

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "google/rpc/status.pb.h"
#include "grpcpp/client_context.h"
#include "grpcpp/impl/channel_interface.h"
#include "grpcpp/support/status.h"

namespace comments::client {

struct CallOptions {
  // Deadline of the whole call, retries included.
  absl::Duration timeout = absl::Seconds(5);
  // Attempts in all, for calls that may be retried.
  int max_attempts = 4;
  absl::Duration initial_backoff = absl::Milliseconds(100);
  absl::Duration max_backoff = absl::Seconds(2);
  // Attached to every call as "authorization: Bearer <token>" when set.
  std::string bearer_token;
  // Extra metadata on every call (lower-case keys). A web frontend passes
  // its reader's address and browser this way: "x-forwarded-for" and
  // "x-reader-user-agent" (the server believes the first only from proxies
  // it trusts).
  std::vector<std::pair<std::string, std::string>> metadata;
  // Called before each retry with the failed attempt's status, the attempt
  // number (1 for the first) and the pause before the next one; for progress
  // messages and tests. Optional.
  std::function<void(const absl::Status& status, int attempt,
                     absl::Duration pause)>
      on_retry;
};

// grpc::Status -> absl::Status, with the google.rpc.Status details (if any)
// attached as payloads under their type URLs.
absl::Status FromGrpcStatus(const grpc::Status& status);

// google.rpc.Status (e.g. one result of a batch call) -> absl::Status, with
// its details attached the same way.
absl::Status FromRpcStatus(const google::rpc::Status& status);

// Sets the deadline and the bearer token of `options` on `context`, as every
// call of the library does; for streaming calls that do not go through
// CallWithRetry.
void PrepareContext(const CallOptions& options, absl::Time deadline,
                    grpc::ClientContext& context);

// Runs `attempt` with a fresh ClientContext per try, all sharing one
// deadline. Retries only UNAVAILABLE, and only when `idempotent`, with
// jittered exponential backoff (never shorter than a RetryInfo delay the
// server sent) and never past the deadline.
//
// `channel`, when known, is asked to reconnect during each pause. A
// synchronous client whose calls fail fast never polls its channel, so gRPC
// would otherwise notice a server that came back only at its backup poll,
// seconds later.
absl::Status CallWithRetry(
    const CallOptions& options, bool idempotent,
    const std::function<grpc::Status(grpc::ClientContext&)>& attempt,
    grpc::ChannelInterface* channel = nullptr);

// One unary call through `stub` with CallWithRetry, e.g.
//   Unary(*stub, &Stub::GetComment, request, options, /*idempotent=*/true,
//         channel).
template <typename Stub, typename Request, typename Response>
absl::StatusOr<Response> Unary(
    Stub& stub,
    grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&,
                                 Response*),
    const Request& request, const CallOptions& options, bool idempotent,
    grpc::ChannelInterface* channel = nullptr) {
  Response response;
  absl::Status status = CallWithRetry(
      options, idempotent,
      [&](grpc::ClientContext& context) {
        response.Clear();
        return (stub.*method)(&context, request, &response);
      },
      channel);
  if (!status.ok()) return status;
  return response;
}

}  // namespace comments::client

#endif  // COMMENTS_CLIENT_LIB_CALL_SUPPORT_H_
