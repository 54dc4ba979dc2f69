// comments_probe: exits 0 when the server's standard gRPC health service
// says SERVING, non-zero otherwise (see ProbeExit). Used as the container's
// HEALTHCHECK and by scripts waiting for a server.
//
//   comments_probe                        127.0.0.1 at COMMENTS_LISTEN's port
//   comments_probe --addr=host:50051 --service=comments.v1.CommentService
//   comments_probe --ca_file=ca.pem --server_name=comments.example.org
//
// TLS takes commentctl's options and environment variables (CA file, client
// certificate and key, server name). It is on by default when
// COMMENTS_TLS_CERT_FILE is set, i.e. when the server next to the probe
// serves TLS, so the same health check line fits either way.
#include <cstdlib>
#include <iostream>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "client/lib/channel.h"
#include "client/probe/health_probe.h"

namespace {

std::string EnvOr(const char* name, const char* fallback) {
  const char* value = std::getenv(name);
  return value != nullptr ? value : fallback;
}

// COMMENTS_PROBE_ADDR, else the loopback address of the port the server is
// configured to listen on, so one health check line fits every deployment.
std::string DefaultAddress() {
  if (const char* addr = std::getenv("COMMENTS_PROBE_ADDR"); addr != nullptr) {
    return addr;
  }
  return comments::client::ProbeAddressForListen(
      EnvOr("COMMENTS_LISTEN", "127.0.0.1:50051"));
}

bool ServerServesTls() {
  const char* cert = std::getenv("COMMENTS_TLS_CERT_FILE");
  return cert != nullptr && *cert != '\0';
}

}  // namespace

ABSL_FLAG(std::string, addr, DefaultAddress(),
          "host:port of the server (env COMMENTS_PROBE_ADDR; default: "
          "127.0.0.1 at the port of COMMENTS_LISTEN, else 50051)");
ABSL_FLAG(std::string, service, "",
          "service name to check; empty checks the server as a whole");
ABSL_FLAG(int, timeout_ms, 2000, "deadline of the check");
ABSL_FLAG(bool, tls, ServerServesTls(),
          "use TLS (default: on when COMMENTS_TLS_CERT_FILE is set, as for a "
          "server serving TLS next to the probe); implied by the files below");
ABSL_FLAG(std::string, ca_file, EnvOr("COMMENTS_CA_FILE", ""),
          "PEM root certificates to trust; empty: the system's "
          "(env COMMENTS_CA_FILE)");
ABSL_FLAG(std::string, cert_file, EnvOr("COMMENTS_CERT_FILE", ""),
          "PEM client certificate, for servers that require one "
          "(env COMMENTS_CERT_FILE)");
ABSL_FLAG(std::string, key_file, EnvOr("COMMENTS_KEY_FILE", ""),
          "PEM private key of --cert_file (env COMMENTS_KEY_FILE)");
ABSL_FLAG(std::string, server_name, EnvOr("COMMENTS_TLS_SERVER_NAME", ""),
          "name the server's certificate must carry when it is not the host "
          "of --addr (env COMMENTS_TLS_SERVER_NAME)");

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Checks a server's grpc.health.v1 service. Exit 0: SERVING; 1: bad "
      "usage; 2: no answer; 3: error from the server; 4: not serving.");
  const auto positional = absl::ParseCommandLine(argc, argv);
  const int timeout_ms = absl::GetFlag(FLAGS_timeout_ms);
  comments::client::ChannelOptions options;
  options.address = absl::GetFlag(FLAGS_addr);
  options.tls = absl::GetFlag(FLAGS_tls);
  options.ca_file = absl::GetFlag(FLAGS_ca_file);
  options.cert_file = absl::GetFlag(FLAGS_cert_file);
  options.key_file = absl::GetFlag(FLAGS_key_file);
  options.server_name = absl::GetFlag(FLAGS_server_name);
  if (positional.size() > 1 || timeout_ms <= 0 || options.address.empty()) {
    std::cerr << "usage: comments_probe [--addr=host:port] [--service=NAME] "
                 "[--timeout_ms=N>0] [--tls] [--ca_file=PEM] "
                 "[--cert_file=PEM --key_file=PEM] [--server_name=NAME]\n";
    return comments::client::kProbeBadUsage;
  }
  auto channel = comments::client::CreateChannel(options);
  if (!channel.ok()) {
    std::cerr << "error: " << channel.status().message() << "\n";
    return comments::client::kProbeBadUsage;
  }
  auto stub = grpc::health::v1::Health::NewStub(*channel);
  const comments::client::ProbeResult result = comments::client::ProbeHealth(
      *stub, absl::GetFlag(FLAGS_service), absl::Milliseconds(timeout_ms));
  (result.exit == comments::client::kProbeServing ? std::cout : std::cerr)
      << result.message << "\n";
  return result.exit;
}
