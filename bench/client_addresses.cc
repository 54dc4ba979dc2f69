#include "bench/client_addresses.h"

#include "absl/strings/str_format.h"

namespace comments::bench {
namespace {

bool InNetwork(uint32_t address, uint32_t network, int prefix_length) {
  const uint32_t mask =
      prefix_length == 0 ? 0 : ~uint32_t{0} << (32 - prefix_length);
  return (address & mask) == network;
}

constexpr uint32_t Ipv4(uint32_t a, uint32_t b, uint32_t c, uint32_t d) {
  return a << 24 | b << 16 | c << 8 | d;
}

// An odd multiplier is invertible modulo 2^32: the map is a bijection.
constexpr uint32_t kScatter = 0x9E3779B1u;

}  // namespace

bool IsPublicIpv4(uint32_t address) {
  struct Range {
    uint32_t network;
    int prefix_length;
  };
  // RFC 6890's special-purpose registry, plus multicast and class E.
  static constexpr Range kNotPublic[] = {
      {Ipv4(0, 0, 0, 0), 8},      {Ipv4(10, 0, 0, 0), 8},
      {Ipv4(100, 64, 0, 0), 10},  {Ipv4(127, 0, 0, 0), 8},
      {Ipv4(169, 254, 0, 0), 16}, {Ipv4(172, 16, 0, 0), 12},
      {Ipv4(192, 0, 0, 0), 24},   {Ipv4(192, 0, 2, 0), 24},
      {Ipv4(192, 88, 99, 0), 24}, {Ipv4(192, 168, 0, 0), 16},
      {Ipv4(198, 18, 0, 0), 15},  {Ipv4(198, 51, 100, 0), 24},
      {Ipv4(203, 0, 113, 0), 24}, {Ipv4(224, 0, 0, 0), 4},
      {Ipv4(240, 0, 0, 0), 4},
  };
  for (const Range& range : kNotPublic) {
    if (InNetwork(address, range.network, range.prefix_length)) return false;
  }
  // Host parts of all zeros or all ones in a /24 look like network or
  // broadcast addresses to some filters; a reader never has them.
  const uint32_t host = address & 0xFF;
  return host != 0 && host != 0xFF;
}

std::string Ipv4Text(uint32_t address) {
  return absl::StrFormat("%d.%d.%d.%d", address >> 24, (address >> 16) & 0xFF,
                         (address >> 8) & 0xFF, address & 0xFF);
}

DistinctPublicIpv4::DistinctPublicIpv4(uint32_t salt, int caller, int callers)
    : salt_(salt),
      counter_(static_cast<uint64_t>(caller)),
      stride_(static_cast<uint64_t>(callers)) {}

std::string DistinctPublicIpv4::Next() {
  while (true) {
    // Counters below 2^32 are distinct, so are their images; a run would
    // need billions of calls to wrap.
    const uint32_t address =
        (static_cast<uint32_t>(counter_) + salt_) * kScatter;
    counter_ += stride_;
    if (IsPublicIpv4(address)) return Ipv4Text(address);
  }
}

}  // namespace comments::bench
