// comments_probe: exits 0 when the server's standard gRPC health service
// says SERVING, non-zero otherwise (see ProbeExit). Used as the container's
// HEALTHCHECK and by scripts waiting for a server.
//
//   comments_probe                        127.0.0.1 at COMMENTS_LISTEN's port
//   comments_probe --addr=host:50051 --service=comments.v1.CommentService
#include <cstdlib>
#include <iostream>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "client/probe/health_probe.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"

namespace {

// COMMENTS_PROBE_ADDR, else the loopback address of the port the server is
// configured to listen on, so one health check line fits every deployment.
std::string DefaultAddress() {
  if (const char* addr = std::getenv("COMMENTS_PROBE_ADDR"); addr != nullptr) {
    return addr;
  }
  const char* listen = std::getenv("COMMENTS_LISTEN");
  return comments::client::ProbeAddressForListen(
      listen != nullptr ? listen : "127.0.0.1:50051");
}

}  // namespace

ABSL_FLAG(std::string, addr, DefaultAddress(),
          "host:port of the server (env COMMENTS_PROBE_ADDR; default: "
          "127.0.0.1 at the port of COMMENTS_LISTEN, else 50051)");
ABSL_FLAG(std::string, service, "",
          "service name to check; empty checks the server as a whole");
ABSL_FLAG(int, timeout_ms, 2000, "deadline of the check");

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Checks a server's grpc.health.v1 service. Exit 0: SERVING; 1: bad "
      "usage; 2: no answer; 3: error from the server; 4: not serving.");
  const auto positional = absl::ParseCommandLine(argc, argv);
  const int timeout_ms = absl::GetFlag(FLAGS_timeout_ms);
  const std::string addr = absl::GetFlag(FLAGS_addr);
  if (positional.size() > 1 || timeout_ms <= 0 || addr.empty()) {
    std::cerr << "usage: comments_probe [--addr=host:port] [--service=NAME] "
                 "[--timeout_ms=N>0]\n";
    return comments::client::kProbeBadUsage;
  }
  auto stub = grpc::health::v1::Health::NewStub(
      grpc::CreateChannel(addr, grpc::InsecureChannelCredentials()));
  const comments::client::ProbeResult result = comments::client::ProbeHealth(
      *stub, absl::GetFlag(FLAGS_service), absl::Milliseconds(timeout_ms));
  (result.exit == comments::client::kProbeServing ? std::cout : std::cerr)
      << result.message << "\n";
  return result.exit;
}
