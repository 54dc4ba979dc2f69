// IP address parsing and trusted proxy networks.
#include "service/domain/ip_network.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace comments::domain {
namespace {

using ::testing::HasSubstr;
using ::testing::Optional;

TEST(CanonicalIpTest, AcceptsAddressesInTheFormsProxiesWrite) {
  EXPECT_THAT(CanonicalIp("192.0.2.1"), Optional(std::string("192.0.2.1")));
  EXPECT_THAT(CanonicalIp("192.0.2.1:8080"),
              Optional(std::string("192.0.2.1")));
  EXPECT_THAT(CanonicalIp("2001:DB8:0:0::1"),
              Optional(std::string("2001:db8::1")));
  EXPECT_THAT(CanonicalIp("[2001:db8::1]"),
              Optional(std::string("2001:db8::1")));
  EXPECT_THAT(CanonicalIp("[2001:db8::1]:443"),
              Optional(std::string("2001:db8::1")));
  // IPv4-mapped IPv6 (dual-stack sockets) is the IPv4 address.
  EXPECT_THAT(CanonicalIp("::ffff:198.51.100.7"),
              Optional(std::string("198.51.100.7")));
}

TEST(CanonicalIpTest, RejectsEverythingElse) {
  for (const char* bad : {"", "unknown", "1.2.3", "1.2.3.4.5", "256.1.1.1",
                          "1.2.3.4:99999", "1.2.3.4:", "[::1", "[::1]x",
                          "::1:80:", "example.org", " 1.2.3.4", "1.2.3.4/32"}) {
    EXPECT_EQ(CanonicalIp(bad), std::nullopt) << bad;
  }
}

TEST(NetworkPrefixTest, IsTheNetworkOfTheAddressForItsFamily) {
  EXPECT_THAT(NetworkPrefix("2001:db8:1:2:a:b:c:d", 32, 64),
              Optional(std::string("2001:db8:1:2::/64")));
  EXPECT_THAT(NetworkPrefix("[2001:DB8:1:2::ffff]:443", 32, 64),
              Optional(std::string("2001:db8:1:2::/64")));
  EXPECT_THAT(NetworkPrefix("2001:db8:1:2:a:b:c:d", 32, 56),
              Optional(std::string("2001:db8:1::/56")));
  EXPECT_THAT(NetworkPrefix("2001:db8::7", 32, 128),
              Optional(std::string("2001:db8::7/128")));
  EXPECT_THAT(NetworkPrefix("192.0.2.7", 32, 64),
              Optional(std::string("192.0.2.7/32")));
  EXPECT_THAT(NetworkPrefix("192.0.2.7:80", 24, 64),
              Optional(std::string("192.0.2.0/24")));
  // A dual-stack socket's IPv4-mapped address is IPv4.
  EXPECT_THAT(NetworkPrefix("::ffff:198.51.100.7", 32, 64),
              Optional(std::string("198.51.100.7/32")));
}

TEST(NetworkPrefixTest, EveryAddressOfOneSlash64SharesItsKey) {
  for (const char* ip :
       {"2001:db8:5:6::1", "2001:db8:5:6::2",
        "2001:db8:5:6:ffff:ffff:ffff:ffff", "2001:db8:5:6:1234::9"}) {
    EXPECT_THAT(NetworkPrefix(ip, 32, 64),
                Optional(std::string("2001:db8:5:6::/64")))
        << ip;
  }
  EXPECT_THAT(NetworkPrefix("2001:db8:5:7::1", 32, 64),
              Optional(std::string("2001:db8:5:7::/64")));
}

TEST(NetworkPrefixTest, RejectsNonAddressesAndBadLengths) {
  EXPECT_EQ(NetworkPrefix("example.org", 32, 64), std::nullopt);
  EXPECT_EQ(NetworkPrefix("", 32, 64), std::nullopt);
  EXPECT_EQ(NetworkPrefix("192.0.2.1", 33, 64), std::nullopt);
  EXPECT_EQ(NetworkPrefix("2001:db8::1", 32, 129), std::nullopt);
  EXPECT_EQ(NetworkPrefix("2001:db8::1", 32, -1), std::nullopt);
}

TEST(IpNetworkListTest, ContainsAddressesInsideItsNetworks) {
  absl::StatusOr<IpNetworkList> list =
      IpNetworkList::Parse({"10.0.0.0/8", "192.0.2.7", "2001:db8::/32"});
  ASSERT_TRUE(list.ok()) << list.status();
  EXPECT_EQ(list->size(), 3);
  EXPECT_TRUE(list->Contains("10.0.0.1"));
  EXPECT_TRUE(list->Contains("10.255.255.255"));
  EXPECT_FALSE(list->Contains("11.0.0.0"));
  EXPECT_FALSE(list->Contains("9.255.255.255"));
  EXPECT_TRUE(list->Contains("192.0.2.7"));
  EXPECT_FALSE(list->Contains("192.0.2.8"));
  EXPECT_TRUE(list->Contains("2001:db8:ffff::1"));
  EXPECT_FALSE(list->Contains("2001:db9::1"));
  EXPECT_TRUE(list->Contains("::ffff:10.1.2.3"));
  EXPECT_FALSE(list->Contains("not an address"));
}

TEST(IpNetworkListTest, EmptyListContainsNothingAndZeroPrefixEverything) {
  EXPECT_FALSE(IpNetworkList().Contains("127.0.0.1"));
  absl::StatusOr<IpNetworkList> all = IpNetworkList::Parse({"0.0.0.0/0"});
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_TRUE(all->Contains("203.0.113.9"));
  EXPECT_FALSE(all->Contains("::1"));
}

TEST(IpNetworkListTest, RejectsBadEntriesNamingTheIndex) {
  for (const char* bad :
       {"10.0.0.0/33", "10.0.0.1/8", "10/8", "1.2", "10.0.0.0/", "10.0.0.0/x",
        "10.0.0.0/-1", "2001:db8::/129", "[::1]", "1.2.3.4:80", "example.org",
        ""}) {
    absl::StatusOr<IpNetworkList> list = IpNetworkList::Parse({"::1", bad});
    ASSERT_EQ(list.status().code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_THAT(std::string(list.status().message()), HasSubstr("[1]")) << bad;
  }
}

}  // namespace
}  // namespace comments::domain
