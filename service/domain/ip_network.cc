#include "service/domain/ip_network.h"

#include <arpa/inet.h>

// libcidr is a C library whose header does not say so.
extern "C" {
#include <libcidr.h>
}

#include <algorithm>
#include <cstdlib>
#include <cstring>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace comments::domain {
namespace {

struct CidrDeleter {
  void operator()(const cidr_addr* cidr) const {
    cidr_free(const_cast<cidr_addr*>(cidr));
  }
};
using CidrPtr = std::unique_ptr<const cidr_addr, CidrDeleter>;

// The address of `text` in canonical form, without port or brackets.
std::optional<std::string> ParseAddress(std::string_view text) {
  std::string address(text);
  if (!address.empty() && address.front() == '[') {
    const size_t close = address.find(']');
    if (close == std::string::npos) return std::nullopt;
    const std::string rest = address.substr(close + 1);
    int port = 0;
    if (!rest.empty() &&
        !(rest[0] == ':' && absl::SimpleAtoi(rest.substr(1), &port) &&
          port >= 0 && port <= 65535)) {
      return std::nullopt;
    }
    address = address.substr(1, close - 1);
  } else if (std::count(address.begin(), address.end(), ':') == 1) {
    // "v4:port"; an IPv6 address has at least two colons.
    const size_t colon = address.find(':');
    int port = 0;
    if (!absl::SimpleAtoi(address.substr(colon + 1), &port) || port < 0 ||
        port > 65535) {
      return std::nullopt;
    }
    address.resize(colon);
  }
  char canonical[INET6_ADDRSTRLEN];
  in_addr v4;
  if (inet_pton(AF_INET, address.c_str(), &v4) == 1) {
    return std::string(inet_ntop(AF_INET, &v4, canonical, sizeof canonical));
  }
  in6_addr v6;
  if (inet_pton(AF_INET6, address.c_str(), &v6) == 1) {
    if (IN6_IS_ADDR_V4MAPPED(&v6)) {
      std::memcpy(&v4, &v6.s6_addr[12], sizeof v4);
      return std::string(inet_ntop(AF_INET, &v4, canonical, sizeof canonical));
    }
    return std::string(inet_ntop(AF_INET6, &v6, canonical, sizeof canonical));
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> CanonicalIp(std::string_view text) {
  return ParseAddress(text);
}

std::optional<std::string> NetworkPrefix(std::string_view ip,
                                         int ipv4_prefix_length,
                                         int ipv6_prefix_length) {
  std::optional<std::string> address = ParseAddress(ip);
  if (!address.has_value()) return std::nullopt;
  const bool v6 = address->find(':') != std::string::npos;
  const int length = v6 ? ipv6_prefix_length : ipv4_prefix_length;
  if (length < 0 || length > (v6 ? 128 : 32)) return std::nullopt;
  CidrPtr host(cidr_from_str(absl::StrCat(*address, "/", length).c_str()));
  if (host == nullptr) return std::nullopt;
  CidrPtr network(cidr_addr_network(host.get()));
  if (network == nullptr) return std::nullopt;
  std::unique_ptr<char, decltype(&std::free)> text(
      cidr_to_str(network.get(), CIDR_NOFLAGS), &std::free);
  if (text == nullptr) return std::nullopt;
  return std::string(text.get());
}

absl::StatusOr<IpNetworkList> IpNetworkList::Parse(
    const std::vector<std::string>& entries) {
  IpNetworkList list;
  for (size_t i = 0; i < entries.size(); ++i) {
    const std::string& entry = entries[i];
    const size_t slash = entry.find('/');
    const std::string address_text = entry.substr(0, slash);
    // Brackets and ports belong to forwarded addresses, not to networks.
    std::optional<std::string> address;
    if (address_text.find_first_of("[]") == std::string::npos &&
        std::count(address_text.begin(), address_text.end(), ':') != 1) {
      address = ParseAddress(address_text);
    }
    if (!address.has_value()) {
      return absl::InvalidArgumentError(
          absl::StrCat("[", i, "] is not an IP address or network"));
    }
    const bool v6 = address->find(':') != std::string::npos;
    const int max_prefix = v6 ? 128 : 32;
    int prefix = max_prefix;
    if (slash != std::string::npos) {
      const std::string prefix_text = entry.substr(slash + 1);
      if (prefix_text.empty() ||
          prefix_text.find_first_not_of("0123456789") != std::string::npos ||
          !absl::SimpleAtoi(prefix_text, &prefix) || prefix > max_prefix) {
        return absl::InvalidArgumentError(
            absl::StrCat("[", i, "] has a bad prefix length"));
      }
    }
    CidrPtr network(cidr_from_str(absl::StrCat(*address, "/", prefix).c_str()));
    if (network == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("[", i, "] is not an IP address or network"));
    }
    CidrPtr base(cidr_addr_network(network.get()));
    if (base == nullptr || cidr_equals(base.get(), network.get()) != 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          "[", i, "] has host bits set; write the network address"));
    }
    list.networks_.push_back(
        std::shared_ptr<const cidr_addr>(network.release(), CidrDeleter()));
  }
  return list;
}

bool IpNetworkList::Contains(std::string_view ip) const {
  if (networks_.empty()) return false;
  std::optional<std::string> address = ParseAddress(ip);
  if (!address.has_value()) return false;
  CidrPtr host(cidr_from_str(address->c_str()));
  if (host == nullptr) return false;
  for (const auto& network : networks_) {
    if (cidr_contains(network.get(), host.get()) == 0) return true;
  }
  return false;
}

}  // namespace comments::domain
