// One check of the standard gRPC health service (grpc.health.v1.Health/Check),
// for container health checks and scripts. Debian packages no
// grpc_health_probe, so the image ships this instead; its exit codes follow
// grpc_health_probe's so tooling written for one works with the other.
#ifndef COMMENTS_CLIENT_PROBE_HEALTH_PROBE_H_
#define COMMENTS_CLIENT_PROBE_HEALTH_PROBE_H_

#include <memory>
#include <string>
#include <string_view>

#include "absl/time/time.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/support/status.h"

namespace comments::client {

// Process exit codes of comments_probe.
enum ProbeExit : int {
  kProbeServing = 0,
  kProbeBadUsage = 1,
  // Nothing answered in time: refused, unreachable or deadline exceeded.
  kProbeConnectionFailure = 2,
  // The server answered with an error, e.g. NOT_FOUND for an unknown service.
  kProbeRpcFailure = 3,
  // The server answered, but not SERVING (e.g. NOT_SERVING while draining).
  kProbeNotServing = 4,
};

struct ProbeResult {
  ProbeExit exit = kProbeRpcFailure;
  // One line for a human: the serving status or the gRPC error code name.
  std::string message;
};

// Maps the outcome of one Check call to an exit code and message.
ProbeResult InterpretHealthCheck(
    const grpc::Status& status,
    const grpc::health::v1::HealthCheckResponse& response);

// Calls Check for `service` ("" is the server as a whole) with `timeout` as
// the deadline. Does not wait for the channel to become ready: a server that
// is down is reported at once.
ProbeResult ProbeHealth(grpc::health::v1::Health::StubInterface& stub,
                        const std::string& service, absl::Duration timeout);

// The address to probe for a server configured with `listen` (the value of
// COMMENTS_LISTEN): a wildcard host becomes the loopback address of the same
// family, since a container's probe runs next to the server.
std::string ProbeAddressForListen(std::string_view listen);

}  // namespace comments::client

#endif  // COMMENTS_CLIENT_PROBE_HEALTH_PROBE_H_
