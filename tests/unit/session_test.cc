// Where commentctl takes the moderator token from, and its warning when the
// token would travel in the clear.
#include "client/cli/session.h"

#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace comments::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class ResolveTokenTest : public ::testing::Test {
 protected:
  void SetUp() override {
    unsetenv("COMMENTS_TOKEN");
    unsetenv("COMMENTS_TOKEN_FILE");
    dir_ = std::filesystem::temp_directory_path() /
           absl::StrCat("token-test-", getpid());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override {
    unsetenv("COMMENTS_TOKEN");
    unsetenv("COMMENTS_TOKEN_FILE");
    std::filesystem::remove_all(dir_);
  }
  std::string File(const std::string& name, const std::string& contents) {
    const std::string path = (dir_ / name).string();
    std::ofstream(path) << contents;
    return path;
  }
  std::filesystem::path dir_;
};

TEST_F(ResolveTokenTest, FlagThenEnvironmentThenFileFromEnvironment) {
  const std::string flag_file = File("flag", "from-flag\n");
  const std::string env_file = File("env", "  from-env-file \n");
  setenv("COMMENTS_TOKEN", "from-env", 1);
  setenv("COMMENTS_TOKEN_FILE", env_file.c_str(), 1);
  EXPECT_EQ(*ResolveToken(flag_file), "from-flag");
  EXPECT_EQ(*ResolveToken(""), "from-env");
  unsetenv("COMMENTS_TOKEN");
  EXPECT_EQ(*ResolveToken(""), "from-env-file");
}

TEST_F(ResolveTokenTest, NoTokenIsUnauthenticated) {
  auto token = ResolveToken("");
  EXPECT_EQ(token.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_THAT(token.status().message(), HasSubstr("COMMENTS_TOKEN"));
}

TEST_F(ResolveTokenTest, BadTokensAreRefusedWithoutShowingThem) {
  setenv("COMMENTS_TOKEN", "two words", 1);
  auto spaced = ResolveToken("");
  EXPECT_EQ(spaced.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_THAT(spaced.status().message(), Not(HasSubstr("two words")));

  EXPECT_EQ(ResolveToken(File("empty", "\n")).status().code(),
            absl::StatusCode::kUnauthenticated);
  auto missing = ResolveToken((dir_ / "missing").string());
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_THAT(missing.status().message(), HasSubstr("missing"));
}

// What Moderation() writes to standard error for a server at `address`.
std::string WarningFor(const std::string& address, bool tls = false) {
  setenv("COMMENTS_TOKEN", "a-moderator-token", 1);
  GlobalOptions options;
  options.channel.address = address;
  options.channel.tls = tls;
  std::ostringstream out;
  std::ostringstream err;
  Session session(options, out, err);
  auto moderation = session.Moderation();
  unsetenv("COMMENTS_TOKEN");
  EXPECT_TRUE(moderation.ok()) << moderation.status();
  EXPECT_EQ(out.str(), "");
  return err.str();
}

TEST(TokenWarningTest, PlaintextTokenToAnotherMachineIsWarnedAbout) {
  for (const char* address :
       {"203.0.113.7:50051", "comments.example.org:50051",
        "dns:///comments.example.org:443", "[2001:db8::1]:50051",
        "ipv4:127.0.0.1:50051,192.0.2.1:50051"}) {
    const std::string warning = WarningFor(address);
    EXPECT_THAT(warning, HasSubstr("warning: sending the moderator token "
                                   "without TLS to "))
        << address;
    EXPECT_THAT(warning, HasSubstr(address));
    EXPECT_THAT(warning, Not(HasSubstr("a-moderator-token")));
  }
}

TEST(TokenWarningTest, LoopbackOrTlsIsNotWarnedAbout) {
  for (const char* address :
       {"127.0.0.1:50051", "[::1]:50051", "localhost:50051", "LOCALHOST:50051",
        "127.0.0.2:50051", "dns:///localhost:50051", "ipv4:127.0.0.1:50051",
        "ipv6:[::1]:50051", "unix:/run/comments.sock",
        "[::ffff:127.0.0.1]:50051"}) {
    EXPECT_EQ(WarningFor(address), "") << address;
  }
  EXPECT_EQ(WarningFor("203.0.113.7:50051", /*tls=*/true), "");
}

}  // namespace
}  // namespace comments::cli
