// The reader's IP address behind proxies (api/client_ip.h,
// domain/ip_network.h). The input's first line is the call's peer address, its
// second the trusted proxy networks (comma-separated, as a rules file lists
// them), and every further line one x-forwarded-for value.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_split.h"
#include "service/api/client_ip.h"
#include "service/domain/ip_network.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

using comments::domain::CanonicalIp;
using comments::domain::IpNetworkList;

// Debian's Abseil has a string_view of its own.
absl::string_view ToAbsl(std::string_view text) {
  return absl::string_view(text.data(), text.size());
}
std::string_view ToStd(absl::string_view text) {
  return std::string_view(text.data(), text.size());
}

// The trusted proxies the entries make, skipping the ones Add refuses.
IpNetworkList ProxyList(std::string_view line) {
  IpNetworkList list;
  for (absl::string_view entry : absl::StrSplit(ToAbsl(line), ',')) {
    const int before = list.size();
    if (list.Add(ToStd(entry)).ok()) {
      FUZZ_CHECK(list.size() == before + 1);
    } else {
      FUZZ_CHECK(list.size() == before);
    }
  }
  return list;
}

// A canonical address is its own canonical form, and lies in its network.
void CheckCanonical(const std::string& ip) {
  FUZZ_CHECK(CanonicalIp(ip) == ip);
  const std::optional<std::string> network =
      comments::domain::NetworkPrefix(ip, 24, 48);
  FUZZ_CHECK(network.has_value());
  absl::StatusOr<IpNetworkList> list = IpNetworkList::Parse({*network});
  FUZZ_CHECK(list.ok() && list->Contains(ip));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> lines = absl::StrSplit(ToAbsl(text), '\n');
  const std::string peer = lines[0];
  const IpNetworkList proxies =
      ProxyList(lines.size() > 1 ? lines[1] : std::string());
  const std::vector<std::string> forwarded_for(
      lines.size() > 2 ? lines.begin() + 2 : lines.end(), lines.end());

  const std::string client =
      comments::api::ResolveClientIp(peer, forwarded_for, proxies);
  const std::optional<std::string> canonical_peer = CanonicalIp(peer);
  if (!canonical_peer.has_value()) {
    FUZZ_CHECK(client.empty());
    return 0;
  }
  CheckCanonical(client);
  // Only a trusted peer can have the header name another address, and the
  // address named is one of the header's.
  if (!proxies.Contains(*canonical_peer)) {
    FUZZ_CHECK(client == *canonical_peer);
  } else if (client != *canonical_peer) {
    bool named = false;
    for (const std::string& value : forwarded_for) {
      for (absl::string_view hop : absl::StrSplit(value, ',')) {
        std::optional<std::string> address =
            CanonicalIp(ToStd(absl::StripAsciiWhitespace(hop)));
        if (address == client) named = true;
      }
    }
    FUZZ_CHECK(named);
  }
  return 0;
}
