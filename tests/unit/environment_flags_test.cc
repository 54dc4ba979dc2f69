#include "service/config/environment_flags.h"

#include <cstdlib>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/reflection.h"
#include "gtest/gtest.h"

ABSL_FLAG(int, pool_size, 8, "a number");
ABSL_FLAG(std::string, listen_address, "127.0.0.1:1", "a string");
ABSL_FLAG(bool, verbose_mode, false, "a switch");

namespace comments::config {
namespace {

constexpr char kPrefix[] = "ENVFLAGSTEST_";

class EnvironmentFlagsTest : public testing::Test {
 protected:
  void TearDown() override {
    unsetenv("ENVFLAGSTEST_POOL_SIZE");
    unsetenv("ENVFLAGSTEST_LISTEN_ADDRESS");
    unsetenv("ENVFLAGSTEST_VERBOSE_MODE");
  }
  // Every test starts from the defaults and leaves them behind.
  absl::FlagSaver saver_;
};

TEST_F(EnvironmentFlagsTest, VariableNameIsPrefixAndUpperCasedFlag) {
  EXPECT_EQ(EnvironmentVariableFor("COMMENTS_", "db_pool_size"),
            "COMMENTS_DB_POOL_SIZE");
}

TEST_F(EnvironmentFlagsTest, NoVariablesKeepDefaults) {
  ASSERT_TRUE(ApplyEnvironmentToFlags(kPrefix, __FILE__).ok());
  EXPECT_EQ(absl::GetFlag(FLAGS_pool_size), 8);
  EXPECT_EQ(absl::GetFlag(FLAGS_listen_address), "127.0.0.1:1");
}

TEST_F(EnvironmentFlagsTest, VariablesSetFlagsOfEveryType) {
  setenv("ENVFLAGSTEST_POOL_SIZE", "3", 1);
  setenv("ENVFLAGSTEST_LISTEN_ADDRESS", "0.0.0.0:9", 1);
  setenv("ENVFLAGSTEST_VERBOSE_MODE", "true", 1);
  ASSERT_TRUE(ApplyEnvironmentToFlags(kPrefix, __FILE__).ok());
  EXPECT_EQ(absl::GetFlag(FLAGS_pool_size), 3);
  EXPECT_EQ(absl::GetFlag(FLAGS_listen_address), "0.0.0.0:9");
  EXPECT_TRUE(absl::GetFlag(FLAGS_verbose_mode));
}

TEST_F(EnvironmentFlagsTest, MalformedValueIsAnErrorNamingTheVariable) {
  setenv("ENVFLAGSTEST_POOL_SIZE", "abc", 1);
  const absl::Status status = ApplyEnvironmentToFlags(kPrefix, __FILE__);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("ENVFLAGSTEST_POOL_SIZE"), std::string::npos);
  EXPECT_NE(status.message().find("--pool_size"), std::string::npos);
  // The value itself may be sensitive and is never repeated.
  EXPECT_EQ(status.message().find("abc"), std::string::npos);
  EXPECT_EQ(absl::GetFlag(FLAGS_pool_size), 8);
}

TEST_F(EnvironmentFlagsTest, OutOfRangeNumberIsAnError) {
  setenv("ENVFLAGSTEST_POOL_SIZE", "99999999999", 1);
  EXPECT_EQ(ApplyEnvironmentToFlags(kPrefix, __FILE__).code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(EnvironmentFlagsTest, FlagsOfOtherFilesAreLeftAlone) {
  setenv("ENVFLAGSTEST_POOL_SIZE", "3", 1);
  ASSERT_TRUE(ApplyEnvironmentToFlags(kPrefix, "some/other/file.cc").ok());
  EXPECT_EQ(absl::GetFlag(FLAGS_pool_size), 8);
}

TEST_F(EnvironmentFlagsTest, CommandLineParsedAfterwardsWins) {
  setenv("ENVFLAGSTEST_POOL_SIZE", "3", 1);
  setenv("ENVFLAGSTEST_LISTEN_ADDRESS", "0.0.0.0:9", 1);
  ASSERT_TRUE(ApplyEnvironmentToFlags(kPrefix, __FILE__).ok());
  char program[] = "test";
  char flag[] = "--pool_size=5";
  char* argv[] = {program, flag};
  absl::ParseCommandLine(2, argv);
  EXPECT_EQ(absl::GetFlag(FLAGS_pool_size), 5);
  EXPECT_EQ(absl::GetFlag(FLAGS_listen_address), "0.0.0.0:9");
}

}  // namespace
}  // namespace comments::config
