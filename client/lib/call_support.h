// What every client call shares: deadlines, retries on UNAVAILABLE with
// backoff, and decoding grpc::Status (with its google.rpc details) into
// absl::Status so callers read BadRequest or RetryInfo as data
// (service/common/error_details.h: GetBadRequest, GetRetryInfo, ...).
#ifndef COMMENTS_CLIENT_LIB_CALL_SUPPORT_H_
#define COMMENTS_CLIENT_LIB_CALL_SUPPORT_H_

#include <functional>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "grpcpp/client_context.h"
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
};

// grpc::Status -> absl::Status, with the google.rpc.Status details (if any)
// attached as payloads under their type URLs.
absl::Status FromGrpcStatus(const grpc::Status& status);

// Runs `attempt` with a fresh ClientContext per try, all sharing one
// deadline. Retries only UNAVAILABLE, and only when `idempotent`.
absl::Status CallWithRetry(
    const CallOptions& options, bool idempotent,
    const std::function<grpc::Status(grpc::ClientContext&)>& attempt);

// One unary call through `stub` with CallWithRetry, e.g.
//   Unary(*stub, &Stub::GetComment, request, options, /*idempotent=*/true).
template <typename Stub, typename Request, typename Response>
absl::StatusOr<Response> Unary(
    Stub& stub,
    grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&,
                                 Response*),
    const Request& request, const CallOptions& options, bool idempotent) {
  Response response;
  absl::Status status =
      CallWithRetry(options, idempotent, [&](grpc::ClientContext& context) {
        response.Clear();
        return (stub.*method)(&context, request, &response);
      });
  if (!status.ok()) return status;
  return response;
}

}  // namespace comments::client

#endif  // COMMENTS_CLIENT_LIB_CALL_SUPPORT_H_
