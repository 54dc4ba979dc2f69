// The server's graceful stop, bounded whatever the calls are doing.
#ifndef COMMENTS_SERVICE_API_SERVER_SHUTDOWN_H_
#define COMMENTS_SERVICE_API_SERVER_SHUTDOWN_H_

#include "absl/functional/any_invocable.h"
#include "absl/time/time.h"
#include "grpcpp/server.h"

namespace comments::api {

// Stops `server`: new calls are refused at once, calls in flight get
// `grace` to finish. Then gRPC cancels the calls still running, and
// `at_grace_end` runs (on another thread) to make their handlers return:
// gRPC waits for every handler, and one blocked on the database would
// otherwise hold the process until its statement timed out. Returns once
// every handler has returned.
void StopServer(grpc::Server& server, absl::Duration grace,
                absl::AnyInvocable<void() &&> at_grace_end);

}  // namespace comments::api

#endif  // COMMENTS_SERVICE_API_SERVER_SHUTDOWN_H_
