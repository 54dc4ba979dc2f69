// Channels to the comment service: plaintext by default (a server on the
// same host or behind a TLS-terminating proxy), TLS with optional client
// certificates otherwise.
#ifndef COMMENTS_CLIENT_LIB_CHANNEL_H_
#define COMMENTS_CLIENT_LIB_CHANNEL_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "grpcpp/channel.h"
#include "grpcpp/support/channel_arguments.h"
#include "grpcpp/support/client_interceptor.h"

namespace comments::client {

// How calls spread over the addresses a target names.
enum class LoadBalancing {
  // gRPC's default: every call to the first address that connects.
  kPickFirst,
  // Each call to the next connected address in turn, so the load spreads
  // over every replica the target names ("ipv4:10.0.0.1:50051,10.0.0.2:50051"
  // or a DNS name with several addresses), and a replica going away only
  // moves its share.
  kRoundRobin,
};

struct ChannelOptions {
  // host:port, or any gRPC target URI (e.g. "dns:///comments.internal:443",
  // or "ipv4:127.0.0.1:50051,127.0.0.1:50052" for several servers).
  std::string address = "127.0.0.1:50051";
  LoadBalancing load_balancing = LoadBalancing::kPickFirst;
  // Ping the server after this long without activity and drop the
  // connection when no answer comes in keepalive_timeout, so a connection a
  // load balancer or firewall silently dropped is noticed before a call
  // needs it. Zero: no pings (gRPC's default). The server disconnects a
  // client pinging more often than its --min_ping_interval_ms (10 s by
  // default), so use at least that.
  absl::Duration keepalive_time = absl::ZeroDuration();
  absl::Duration keepalive_timeout = absl::Seconds(20);
  // Whether to ping also while no call is open; the server allows it
  // unless started with --keepalive_permit_without_calls=false.
  bool keepalive_without_calls = false;
  // TLS is used when `tls` is set or any of the files below is given.
  bool tls = false;
  // PEM root certificates to trust; empty means the system's roots.
  std::string ca_file;
  // PEM client certificate chain and private key, for mutual TLS; both or
  // neither.
  std::string cert_file;
  std::string key_file;
  // The name the server's certificate must carry when it differs from the
  // address's host (e.g. a health probe dialling 127.0.0.1 for a
  // certificate of comments.example.org). Only used with TLS.
  std::string server_name;
  // Upper bound on gRPC's pause between reconnection attempts. gRPC's own
  // default (two minutes) would make a client that saw the server down keep
  // failing fast long after the server is back; this keeps reconnection in
  // step with the library's call retries.
  absl::Duration max_reconnect_backoff = absl::Seconds(2);
};

// Does not connect: the first call does. Errors: NOT_FOUND for an unreadable
// file, INVALID_ARGUMENT for an empty address or a certificate without its
// key (or the reverse).
//
// `interceptors` run on every call the channel carries, in order, for a
// caller's own cross-cutting work (tracing, checks of what the server
// answers).
absl::StatusOr<std::shared_ptr<grpc::Channel>> CreateChannel(
    const ChannelOptions& options,
    std::vector<
        std::unique_ptr<grpc::experimental::ClientInterceptorFactoryInterface>>
        interceptors = {});

// The channel arguments CreateChannel uses for `options` (reconnection
// backoff, keepalive, load balancing, TLS name override).
grpc::ChannelArguments ChannelArgumentsFor(const ChannelOptions& options);

// Whether CreateChannel makes a TLS channel for `options`.
bool UsesTls(const ChannelOptions& options);

// Whether every address the gRPC target `address` can name is on this
// machine: 127.0.0.0/8, ::1 (also v4-mapped), "localhost", or a Unix
// socket. Host names other than localhost count as remote, whatever they
// resolve to.
bool IsLoopbackTarget(std::string_view address);

}  // namespace comments::client

#endif  // COMMENTS_CLIENT_LIB_CHANNEL_H_
