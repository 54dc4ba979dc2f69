// The reader's address: the peer, or x-forwarded-for behind trusted proxies
// only.
#include "service/api/client_ip.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace comments::api {
namespace {

domain::IpNetworkList Proxies() {
  return *domain::IpNetworkList::Parse({"10.0.0.0/8", "2001:db8:1::/48"});
}

TEST(ClientIpTest, UntrustedPeerIsTheClientWhateverItForwards) {
  EXPECT_EQ(ResolveClientIp("198.51.100.7", {}, Proxies()), "198.51.100.7");
  EXPECT_EQ(ResolveClientIp("198.51.100.7", {"203.0.113.1"}, Proxies()),
            "198.51.100.7");
  EXPECT_EQ(ResolveClientIp("198.51.100.7", {"203.0.113.1"}, {}),
            "198.51.100.7");
}

TEST(ClientIpTest, TrustedPeerForwardsTheRightMostUntrustedAddress) {
  EXPECT_EQ(ResolveClientIp("10.0.0.2", {"203.0.113.1"}, Proxies()),
            "203.0.113.1");
  // The client forged the first entry; our proxies appended the rest.
  EXPECT_EQ(
      ResolveClientIp("10.0.0.2", {"1.1.1.1, 203.0.113.1, 10.0.0.9, 10.0.0.3"},
                      Proxies()),
      "203.0.113.1");
  // Several header values count as one list, in order.
  EXPECT_EQ(ResolveClientIp("10.0.0.2", {"1.1.1.1", "203.0.113.1, 10.0.0.9"},
                            Proxies()),
            "203.0.113.1");
  EXPECT_EQ(
      ResolveClientIp("2001:db8:1::5", {"[2001:db8:2::7]:5555"}, Proxies()),
      "2001:db8:2::7");
}

TEST(ClientIpTest, TrustedPeerWithoutUsableHeaderIsTheLastTrustedHop) {
  EXPECT_EQ(ResolveClientIp("10.0.0.2", {}, Proxies()), "10.0.0.2");
  EXPECT_EQ(ResolveClientIp("10.0.0.2", {""}, Proxies()), "10.0.0.2");
  // Every hop trusted: the farthest one.
  EXPECT_EQ(ResolveClientIp("10.0.0.2", {"10.0.0.8, 10.0.0.9"}, Proxies()),
            "10.0.0.8");
  // Garbage where an address should be stops the walk at the last address
  // a trusted proxy vouched for.
  EXPECT_EQ(ResolveClientIp("10.0.0.2", {"203.0.113.1, unknown, 10.0.0.9"},
                            Proxies()),
            "10.0.0.9");
}

TEST(ClientIpTest, PeerAddressIsCanonicalAndNonIpPeersHaveNone) {
  EXPECT_EQ(ResolveClientIp("::ffff:198.51.100.7", {}, Proxies()),
            "198.51.100.7");
  EXPECT_EQ(ResolveClientIp("", {"203.0.113.1"}, Proxies()), "");
}

}  // namespace
}  // namespace comments::api
