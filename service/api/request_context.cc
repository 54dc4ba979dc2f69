#include "service/api/request_context.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"

namespace comments::api {

absl::Time CallDeadline(const grpc::ServerContextBase& context,
                        absl::Duration max_timeout) {
  const absl::Time cap = absl::Now() + max_timeout;
  const auto deadline = context.deadline();
  if (deadline == std::chrono::system_clock::time_point::max()) return cap;
  return std::min(cap, absl::FromChrono(deadline));
}

std::string PeerIp(std::string_view peer_text) {
  // absl's string_view is not std::string_view in Debian's build.
  absl::string_view peer(peer_text.data(), peer_text.size());
  if (absl::ConsumePrefix(&peer, "ipv4:")) {
    return std::string(peer.substr(0, peer.rfind(':')));
  }
  if (absl::ConsumePrefix(&peer, "ipv6:")) {
    // "[addr]:port", possibly percent-encoded zone ids; keep the address.
    if (absl::ConsumePrefix(&peer, "[")) {
      const size_t close = peer.find(']');
      std::string address(peer.substr(0, close));
      const size_t zone = address.find('%');
      if (zone != std::string::npos) address.resize(zone);
      return address;
    }
  }
  return "";
}

std::string MetadataValue(const grpc::ServerContextBase& context,
                          std::string_view key) {
  const auto& metadata = context.client_metadata();
  auto it = metadata.find(grpc::string_ref(key.data(), key.size()));
  if (it == metadata.end()) return "";
  return std::string(it->second.data(), it->second.size());
}

}  // namespace comments::api
