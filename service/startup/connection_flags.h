// The server's flags for life behind a load balancer and for bounded work:
// HTTP/2 keepalive, connection idle and age limits (so that long-lived
// connections are closed in time and clients reconnect, reaching new
// replicas), per-connection stream and process-wide thread and memory
// limits (beyond them calls are refused fast with RESOURCE_EXHAUSTED
// instead of queueing without bound). Each flag is also COMMENTS_<FLAG>.
// docs/operations.md explains every default.
#ifndef COMMENTS_SERVICE_STARTUP_CONNECTION_FLAGS_H_
#define COMMENTS_SERVICE_STARTUP_CONNECTION_FLAGS_H_

#include <cstdint>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "grpcpp/server_builder.h"

namespace comments::startup {

struct ConnectionOptions {
  // Ping an idle client this often; close the connection when the ping is
  // not answered in keepalive_timeout_ms.
  int keepalive_time_ms = 60'000;
  int keepalive_timeout_ms = 20'000;
  // Whether clients may ping while they have no call open, and how often at
  // most (a client pinging more often is disconnected).
  bool keepalive_permit_without_calls = true;
  int min_ping_interval_ms = 10'000;
  // Close a connection without calls after this long; 0: never.
  int max_connection_idle_ms = 300'000;
  // Ask clients to reconnect after this long, giving open calls
  // max_connection_age_grace_ms to finish; 0: never.
  int max_connection_age_ms = 600'000;
  int max_connection_age_grace_ms = 30'000;
  // Calls one connection may have open at once; 0: no limit of its own
  // (threads bound unary calls, --max_watches_per_moderator watch streams,
  // and a proxy multiplexing many clients over one connection would only
  // be made to wait).
  int max_concurrent_streams = 0;
  // Threads serving synchronous calls; a call that finds none free is
  // refused with RESOURCE_EXHAUSTED.
  int max_threads = 64;
  // Memory gRPC may use for connections and messages; 0: no limit.
  int64_t memory_quota_bytes = 256 << 20;
};

// The options as the flags set them; INVALID_ARGUMENT naming the flag for
// a negative value (or max_threads below 1).
absl::StatusOr<ConnectionOptions> ConnectionOptionsFromFlags();

// Sets the flags above from COMMENTS_<FLAG> variables; call it before
// parsing the command line, as for the flags of main.cc.
absl::Status ApplyConnectionEnvironment();

// Configures `builder` with `options`.
void ApplyConnectionOptions(const ConnectionOptions& options,
                            grpc::ServerBuilder* builder);

}  // namespace comments::startup

#endif  // COMMENTS_SERVICE_STARTUP_CONNECTION_FLAGS_H_
