// The load generator's workload shape: which threads a call addresses and
// which reader addresses the flood-control run names.
#include <cstdint>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "bench/client_addresses.h"
#include "bench/thread_set.h"
#include "gtest/gtest.h"

namespace comments::bench {
namespace {

TEST(ThreadSetTest, SingleAlwaysNamesItsThread) {
  std::mt19937_64 random(1);
  const ThreadSet threads = ThreadSet::Single("article");
  EXPECT_EQ(threads.size(), 1);
  EXPECT_EQ(threads.Pick(random), "article");
  EXPECT_EQ(threads.Sample(2, random),
            (std::vector<std::string>{"article", "article"}));
}

TEST(ThreadSetTest, NumberedPicksSpreadOverEveryThread) {
  std::mt19937_64 random(2);
  const ThreadSet threads = ThreadSet::Numbered("read-", 10);
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) seen.insert(threads.Pick(random));
  std::set<std::string> all;
  for (int i = 0; i < 10; ++i) all.insert("read-" + std::to_string(i));
  EXPECT_EQ(seen, all);
}

TEST(ThreadSetTest, SampleIsDistinctWhileTheSetIsLargeEnough) {
  std::mt19937_64 random(3);
  const ThreadSet threads = ThreadSet::Numbered("t", 100);
  const std::vector<std::string> sample = threads.Sample(100, random);
  EXPECT_EQ(std::set<std::string>(sample.begin(), sample.end()).size(), 100u);
  EXPECT_EQ(ThreadSet::Numbered("t", 3).Sample(5, random).size(), 5u);
}

TEST(ClientAddressesTest, SpecialPurposeRangesAreNotPublic) {
  EXPECT_FALSE(IsPublicIpv4(0x7F000001));  // 127.0.0.1
  EXPECT_FALSE(IsPublicIpv4(0x0A000001));  // 10.0.0.1
  EXPECT_FALSE(IsPublicIpv4(0xAC1F0001));  // 172.31.0.1
  EXPECT_FALSE(IsPublicIpv4(0xC0A80101));  // 192.168.1.1
  EXPECT_FALSE(IsPublicIpv4(0x64400001));  // 100.64.0.1
  EXPECT_FALSE(IsPublicIpv4(0xC0000201));  // 192.0.2.1
  EXPECT_FALSE(IsPublicIpv4(0xE0000001));  // 224.0.0.1
  EXPECT_FALSE(IsPublicIpv4(0xFFFFFFFF));
  EXPECT_TRUE(IsPublicIpv4(0x08080808));  // 8.8.8.8
  EXPECT_TRUE(IsPublicIpv4(0xAC200001));  // 172.32.0.1
  EXPECT_EQ(Ipv4Text(0xC633640A), "198.51.100.10");
}

TEST(ClientAddressesTest, NoTwoCallsOfARunNameTheSameAddress) {
  constexpr int kCallers = 4;
  std::set<std::string> seen;
  std::set<std::string> networks24;
  for (int caller = 0; caller < kCallers; ++caller) {
    DistinctPublicIpv4 addresses(0x1234abcd, caller, kCallers);
    for (int i = 0; i < 5000; ++i) {
      const std::string address = addresses.Next();
      EXPECT_TRUE(seen.insert(address).second) << address;
      networks24.insert(address.substr(0, address.rfind('.')));
    }
  }
  // Scattered, not consecutive: nearly every address is in a /24 of its own.
  EXPECT_GT(networks24.size(), 19000u);
}

}  // namespace
}  // namespace comments::bench
