#include "service/startup/database_password.h"

#include <stdlib.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace comments::startup {
namespace {

using ::testing::HasSubstr;

// Each test starts without PGPASSWORD and leaves none behind, so the order
// they run in does not matter.
class DatabasePasswordTest : public ::testing::Test {
 protected:
  void SetUp() override { unsetenv("PGPASSWORD"); }
  void TearDown() override {
    unsetenv("PGPASSWORD");
    if (!path_.empty()) std::remove(path_.c_str());
  }

  std::string WriteFile(const std::string& contents) {
    path_ = ::testing::TempDir() + "database_password_test_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::ofstream(path_, std::ios::binary) << contents;
    return path_;
  }

  static const char* Password() { return getenv("PGPASSWORD"); }

  std::string path_;
};

TEST_F(DatabasePasswordTest, FileContentsBecomePgpasswordWithoutLineEnd) {
  ASSERT_TRUE(UseDatabasePasswordFile(WriteFile("s3cret pass\r\n")).ok());
  ASSERT_NE(Password(), nullptr);
  EXPECT_STREQ(Password(), "s3cret pass");
}

TEST_F(DatabasePasswordTest, EmptyPathLeavesTheEnvironmentAlone) {
  setenv("PGPASSWORD", "from the environment", 1);
  EXPECT_TRUE(UseDatabasePasswordFile("").ok());
  EXPECT_STREQ(Password(), "from the environment");
}

TEST_F(DatabasePasswordTest, UnreadableFileIsNotFoundNamingThePath) {
  const std::string missing = ::testing::TempDir() + "no_such_password_file";
  const absl::Status status = UseDatabasePasswordFile(missing);
  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(status.message(), HasSubstr(missing));
  EXPECT_EQ(Password(), nullptr);
}

}  // namespace
}  // namespace comments::startup
