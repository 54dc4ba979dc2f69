// Reader addresses for the flood-control workload: the load generator
// stands in for a trusted proxy and names, in x-forwarded-for, a public
// IPv4 address per call that no other call of the run names. The server's
// flood limits count per client network (an IPv4 /32 by default), so no
// network ever sees a second comment and nothing is refused unless the
// server is wrong. The addresses are only text in a header: every
// connection still goes to the loopback server.
#ifndef COMMENTS_BENCH_CLIENT_ADDRESSES_H_
#define COMMENTS_BENCH_CLIENT_ADDRESSES_H_

#include <cstdint>
#include <string>

namespace comments::bench {

// Whether `address` (host order) is a globally routable unicast IPv4
// address: not in a private, loopback, link-local, shared, documentation,
// benchmarking, multicast or reserved range.
bool IsPublicIpv4(uint32_t address);

// "a.b.c.d" of `address` (host order).
std::string Ipv4Text(uint32_t address);

// The addresses of one caller: caller i of n takes counters i, i + n,
// i + 2n, ..., each mapped through a bijection of the 32-bit numbers that
// scatters neighbours over the whole space (so over many /8 to /24
// networks), skipping addresses that are not public. Distinct callers and
// distinct calls therefore never share an address; `salt` (per run) makes
// two runs name different ones.
class DistinctPublicIpv4 {
 public:
  DistinctPublicIpv4(uint32_t salt, int caller, int callers);

  std::string Next();

 private:
  uint32_t salt_;
  uint64_t counter_;
  uint64_t stride_;
};

}  // namespace comments::bench

#endif  // COMMENTS_BENCH_CLIENT_ADDRESSES_H_
