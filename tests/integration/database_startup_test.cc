#include "service/startup/database_startup.h"

#include <stdlib.h>

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/postgres_suite.h"

namespace comments::startup {
namespace {

using ::testing::HasSubstr;

class DatabaseStartupTest : public comments::testing::PostgresSuite {
 protected:
  static DatabaseStartup Startup(const std::string& database_url) {
    DatabaseStartup startup;
    startup.database_url = database_url;
    startup.service_role = "comments_service";
    startup.retry.give_up_after = absl::ZeroDuration();
    return startup;
  }

  std::string AppliedMigrations(const std::string& database) {
    auto count =
        postgres_->Query(database, "SELECT count(*) FROM schema_migrations");
    EXPECT_TRUE(count.ok()) << count.status();
    return count.ok() ? *count : "";
  }
};

TEST_F(DatabaseStartupTest, MigratesAFreshDatabaseAndIsIdempotent) {
  ASSERT_TRUE(postgres_->CreateDatabase("fresh").ok());
  const DatabaseStartup startup = Startup(postgres_->ConnectionString("fresh"));
  ASSERT_TRUE(StartDatabase(startup).ok());
  const std::string applied = AppliedMigrations("fresh");
  EXPECT_NE(applied, "0");
  ASSERT_TRUE(StartDatabase(startup).ok());
  EXPECT_EQ(AppliedMigrations("fresh"), applied);
}

TEST_F(DatabaseStartupTest, UnreadablePasswordFileStopsBeforeConnecting) {
  ASSERT_TRUE(postgres_->CreateDatabase("untouched").ok());
  DatabaseStartup startup = Startup(postgres_->ConnectionString("untouched"));
  startup.password_file = ::testing::TempDir() + "no_such_password_file";
  const absl::Status status = StartDatabase(startup);
  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(status.message(), HasSubstr("--database_password_file"));
  auto tables = postgres_->Query(
      "untouched",
      "SELECT count(*) FROM pg_tables WHERE tablename = 'schema_migrations'");
  ASSERT_TRUE(tables.ok()) << tables.status();
  EXPECT_EQ(*tables, "0");
}

TEST_F(DatabaseStartupTest, NoDatabaseWithinTheTimeoutIsUnavailable) {
  // Nothing listens on port 1 of the loopback: the connection is refused.
  const absl::Status status =
      StartDatabase(Startup("postgresql://postgres@127.0.0.1:1/comments"));
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace comments::startup
