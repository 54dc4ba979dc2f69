// CreateChannel's checks of its options; connections are tested end to end
// (tests/e2e/client_e2e_test.cc).
#include "client/lib/channel.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace comments::client {
namespace {

using ::testing::HasSubstr;

TEST(ChannelTest, PlaintextByDefault) {
  auto channel = CreateChannel(ChannelOptions());
  ASSERT_TRUE(channel.ok()) << channel.status();
  EXPECT_NE(*channel, nullptr);
}

TEST(ChannelTest, EmptyAddressIsInvalid) {
  ChannelOptions options;
  options.address = "";
  EXPECT_EQ(CreateChannel(options).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(ChannelTest, MissingCaFileIsNamed) {
  ChannelOptions options;
  options.ca_file = "/nonexistent/ca.pem";
  auto channel = CreateChannel(options);
  EXPECT_EQ(channel.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(channel.status().message(), HasSubstr("/nonexistent/ca.pem"));
}

TEST(ChannelTest, CertificateNeedsItsKey) {
  ChannelOptions options;
  options.cert_file = "/nonexistent/client.pem";
  EXPECT_EQ(CreateChannel(options).status().code(),
            absl::StatusCode::kInvalidArgument);
  options.cert_file.clear();
  options.key_file = "/nonexistent/client.key";
  EXPECT_EQ(CreateChannel(options).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(ChannelTest, EmptyCaFileIsInvalid) {
  const std::string path = (std::filesystem::temp_directory_path() /
                            absl::StrCat("empty-ca-", getpid(), ".pem"))
                               .string();
  std::ofstream(path).close();
  ChannelOptions options;
  options.ca_file = path;
  auto channel = CreateChannel(options);
  std::filesystem::remove(path);
  EXPECT_EQ(channel.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(ChannelTest, TlsWithSystemRoots) {
  ChannelOptions options;
  options.tls = true;
  EXPECT_TRUE(CreateChannel(options).ok());
}

}  // namespace
}  // namespace comments::client
