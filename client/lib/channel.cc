#include "client/lib/channel.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"

namespace comments::client {
namespace {

absl::StatusOr<std::string> ReadPemFile(const std::string& path,
                                        const char* what) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    return absl::NotFoundError(absl::StrCat("cannot read ", what, " ", path));
  }
  std::string contents((std::istreambuf_iterator<char>(file)),
                       std::istreambuf_iterator<char>());
  if (contents.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, " ", path, " is empty"));
  }
  return contents;
}

absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> Credentials(
    const ChannelOptions& options) {
  if (!UsesTls(options)) return grpc::InsecureChannelCredentials();
  if (options.cert_file.empty() != options.key_file.empty()) {
    return absl::InvalidArgumentError(
        "a client certificate needs its private key, and the reverse");
  }
  grpc::SslCredentialsOptions ssl;
  if (!options.ca_file.empty()) {
    auto roots = ReadPemFile(options.ca_file, "CA file");
    if (!roots.ok()) return roots.status();
    ssl.pem_root_certs = *std::move(roots);
  }
  if (!options.cert_file.empty()) {
    auto chain = ReadPemFile(options.cert_file, "certificate file");
    if (!chain.ok()) return chain.status();
    auto key = ReadPemFile(options.key_file, "key file");
    if (!key.ok()) return key.status();
    ssl.pem_cert_chain = *std::move(chain);
    ssl.pem_private_key = *std::move(key);
  }
  return grpc::SslCredentials(ssl);
}

bool IsLoopbackHost(absl::string_view host) {
  if (absl::EqualsIgnoreCase(host, "localhost")) return true;
  const std::string text(host);
  in_addr v4{};
  if (inet_pton(AF_INET, text.c_str(), &v4) == 1) {
    return (ntohl(v4.s_addr) >> 24) == 127;
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, text.c_str(), &v6) != 1) return false;
  if (IN6_IS_ADDR_LOOPBACK(&v6)) return true;
  return IN6_IS_ADDR_V4MAPPED(&v6) && v6.s6_addr[12] == 127;
}

// The host of "host:port", "[v6]:port", "host" or a bare IPv6 address.
absl::string_view HostOf(absl::string_view address) {
  if (absl::ConsumePrefix(&address, "[")) {
    return address.substr(0, address.find(']'));
  }
  const size_t colon = address.find(':');
  if (colon == absl::string_view::npos) return address;
  if (address.find(':', colon + 1) != absl::string_view::npos) return address;
  return address.substr(0, colon);
}

}  // namespace

bool UsesTls(const ChannelOptions& options) {
  return options.tls || !options.ca_file.empty() ||
         !options.cert_file.empty() || !options.key_file.empty();
}

bool IsLoopbackTarget(std::string_view target) {
  absl::string_view address(target.data(), target.size());
  if (absl::StartsWith(address, "unix:") ||
      absl::StartsWith(address, "unix-abstract:")) {
    return true;
  }
  // ipv4:a:p,b:p and ipv6:[a]:p,[b]:p list addresses; each must be local.
  for (absl::string_view scheme : {"ipv4:", "ipv6:"}) {
    if (absl::ConsumePrefix(&address, scheme)) {
      for (absl::string_view entry : absl::StrSplit(address, ',')) {
        if (!IsLoopbackHost(HostOf(entry))) return false;
      }
      return true;
    }
  }
  // dns:///host:port and dns://authority/host:port name one host.
  if (absl::ConsumePrefix(&address, "dns:") &&
      absl::ConsumePrefix(&address, "//")) {
    address.remove_prefix(std::min(address.size(), address.find('/') + 1));
  }
  return !address.empty() && IsLoopbackHost(HostOf(address));
}

grpc::ChannelArguments ChannelArgumentsFor(const ChannelOptions& options) {
  grpc::ChannelArguments arguments;
  const int max_backoff_ms = static_cast<int>(
      absl::ToInt64Milliseconds(options.max_reconnect_backoff));
  arguments.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, max_backoff_ms);
  arguments.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS,
                   std::min(max_backoff_ms, 100));
  if (UsesTls(options) && !options.server_name.empty()) {
    arguments.SetSslTargetNameOverride(options.server_name);
  }
  // GRPC_ARG_MIN_RECONNECT_BACKOFF_MS is left alone: gRPC also uses it as
  // the connection timeout, and a short one aborts handshakes on a busy
  // machine.
  if (options.keepalive_time > absl::ZeroDuration()) {
    arguments.SetInt(
        GRPC_ARG_KEEPALIVE_TIME_MS,
        static_cast<int>(absl::ToInt64Milliseconds(options.keepalive_time)));
    arguments.SetInt(
        GRPC_ARG_KEEPALIVE_TIMEOUT_MS,
        static_cast<int>(absl::ToInt64Milliseconds(options.keepalive_timeout)));
    arguments.SetInt(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS,
                     options.keepalive_without_calls ? 1 : 0);
  }
  if (options.load_balancing == LoadBalancing::kRoundRobin) {
    arguments.SetLoadBalancingPolicyName("round_robin");
  }
  return arguments;
}

absl::StatusOr<std::shared_ptr<grpc::Channel>> CreateChannel(
    const ChannelOptions& options,
    std::vector<
        std::unique_ptr<grpc::experimental::ClientInterceptorFactoryInterface>>
        interceptors) {
  if (options.address.empty()) {
    return absl::InvalidArgumentError("the server address is empty");
  }
  auto credentials = Credentials(options);
  if (!credentials.ok()) return credentials.status();
  // With no interceptors this is exactly grpc::CreateCustomChannel.
  return grpc::experimental::CreateCustomChannelWithInterceptors(
      options.address, *credentials, ChannelArgumentsFor(options),
      std::move(interceptors));
}

}  // namespace comments::client
