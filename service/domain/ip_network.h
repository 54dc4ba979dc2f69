// IP addresses and networks: the trusted proxy list that decides whether an
// x-forwarded-for header may name the reader's address, and the network a
// client's flood limits are keyed on. Parsing is strict (inet_pton); network
// arithmetic is libcidr's.
#ifndef COMMENTS_SERVICE_DOMAIN_IP_NETWORK_H_
#define COMMENTS_SERVICE_DOMAIN_IP_NETWORK_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

struct cidr_addr;  // libcidr's CIDR

namespace comments::domain {

// The canonical text of an IPv4 or IPv6 address ("2001:db8::1",
// "192.0.2.1"; an IPv4-mapped IPv6 address becomes its IPv4 address), or
// nullopt when `text` is not exactly one address. Also accepts the forms
// proxies write into x-forwarded-for: "[v6]", "[v6]:port", "v4:port".
std::optional<std::string> CanonicalIp(std::string_view text);

// The network of `ip` (any form CanonicalIp accepts) with the given prefix
// length for its family, in canonical text: ("2001:db8:1:2:a::1", 32, 64)
// gives "2001:db8:1:2::/64", ("192.0.2.7", 32, 64) "192.0.2.7/32". nullopt
// when `ip` is not an address or a length is outside its family's range.
std::optional<std::string> NetworkPrefix(std::string_view ip,
                                         int ipv4_prefix_length,
                                         int ipv6_prefix_length);

class IpNetworkList {
 public:
  // Entries are "address/prefix" (host bits zero) or a single address. A bad
  // entry is INVALID_ARGUMENT whose message starts with "[index]".
  static absl::StatusOr<IpNetworkList> Parse(
      const std::vector<std::string>& entries);

  // The empty list, which contains nothing.
  IpNetworkList() = default;

  bool empty() const { return networks_.empty(); }
  int size() const { return static_cast<int>(networks_.size()); }

  // Whether `ip` (any form CanonicalIp accepts) is inside one of the
  // networks. False for anything that is not an address.
  bool Contains(std::string_view ip) const;

 private:
  std::vector<std::shared_ptr<const cidr_addr>> networks_;
};

}  // namespace comments::domain

#endif  // COMMENTS_SERVICE_DOMAIN_IP_NETWORK_H_
