// The reader's IP address, for flood control and for moderators.
//
// It is the peer address of the call, unless that peer is a trusted proxy
// (a web frontend or load balancer listed in the configuration): then it is
// the right-most address of "x-forwarded-for" that is not itself a trusted
// proxy. Every proxy appends the address it received the request from, so
// addresses to the left of the first untrusted one may be forged by the
// client and are never used. A peer that is not trusted cannot choose its
// address by sending the header.
#ifndef COMMENTS_SERVICE_API_CLIENT_IP_H_
#define COMMENTS_SERVICE_API_CLIENT_IP_H_

#include <string>
#include <string_view>
#include <vector>

#include "grpcpp/server_context.h"
#include "service/domain/ip_network.h"

namespace comments::api {

inline constexpr char kForwardedForKey[] = "x-forwarded-for";

// `peer_ip`: the call's peer address (PeerIp), empty for non-IP transports.
// `forwarded_for`: every x-forwarded-for value in arrival order, each a
// comma-separated list. Returns a canonical address (CanonicalIp), or empty
// when the peer has none.
std::string ResolveClientIp(std::string_view peer_ip,
                            const std::vector<std::string>& forwarded_for,
                            const domain::IpNetworkList& trusted_proxies);

// The same for a call.
std::string ClientIp(const grpc::ServerContext& context,
                     const domain::IpNetworkList& trusted_proxies);

}  // namespace comments::api

#endif  // COMMENTS_SERVICE_API_CLIENT_IP_H_
