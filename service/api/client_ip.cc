#include "service/api/client_ip.h"

#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/str_split.h"
#include "service/api/request_context.h"

namespace comments::api {

std::string ResolveClientIp(std::string_view peer_ip,
                            const std::vector<std::string>& forwarded_for,
                            const domain::IpNetworkList& trusted_proxies) {
  std::optional<std::string> client = domain::CanonicalIp(peer_ip);
  if (!client.has_value()) return "";
  if (!trusted_proxies.Contains(*client)) return *client;

  std::vector<std::string> hops;
  for (const std::string& value : forwarded_for) {
    for (absl::string_view hop : absl::StrSplit(value, ',')) {
      hops.emplace_back(absl::StripAsciiWhitespace(hop));
    }
  }
  // From the nearest hop outwards, while the hop is a proxy we trust.
  for (auto hop = hops.rbegin(); hop != hops.rend(); ++hop) {
    std::optional<std::string> address = domain::CanonicalIp(*hop);
    // A hop that is not an address was not written by a proxy we trust;
    // the last address we could vouch for stands.
    if (!address.has_value()) break;
    client = *address;
    if (!trusted_proxies.Contains(*client)) break;
  }
  return *client;
}

std::string ClientIp(const grpc::ServerContext& context,
                     const domain::IpNetworkList& trusted_proxies) {
  std::vector<std::string> forwarded_for;
  const auto& metadata = context.client_metadata();
  auto range = metadata.equal_range(kForwardedForKey);
  for (auto it = range.first; it != range.second; ++it) {
    forwarded_for.emplace_back(it->second.data(), it->second.size());
  }
  return ResolveClientIp(PeerIp(context.peer()), forwarded_for,
                         trusted_proxies);
}

}  // namespace comments::api
