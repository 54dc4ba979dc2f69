// Where commentctl takes the moderator token from.
#include "client/cli/session.h"

#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
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

}  // namespace
}  // namespace comments::cli
