// `comments_server migrate` and the two database roles, through the real
// binary: the owner migrates and sets the service role's password, the
// server runs as the service role, and a server that connects with more
// than it needs says so.
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/command.h"
#include "tests/support/e2e_environment.h"

namespace comments {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kExcessWarning[] =
    "the database role can alter the schema and the audit trail";

class MigrateE2eTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto environment =
        testing::E2eEnvironment::Create(COMMENTS_SERVER_PATH, "", "migrated");
    ASSERT_TRUE(environment.ok()) << environment.status();
    environment_ = environment->release();
  }
  static void TearDownTestSuite() {
    delete environment_;
    environment_ = nullptr;
  }

  // `comments_server --database_url=<owner of database> args... migrate`.
  static testing::CommandOutput Migrate(const std::string& database,
                                        std::vector<std::string> args = {}) {
    std::vector<std::string> argv = {
        COMMENTS_SERVER_PATH,
        absl::StrCat("--database_url=",
                     environment_->postgres().ConnectionUri(database))};
    argv.insert(argv.end(), args.begin(), args.end());
    argv.push_back("migrate");
    auto run = testing::RunCommand(argv);
    EXPECT_TRUE(run.ok()) << run.status();
    return run.ok() ? *std::move(run) : testing::CommandOutput{-1, "", ""};
  }

  static std::string Query(const std::string& sql) {
    auto result = environment_->postgres().Query("migrated", sql);
    EXPECT_TRUE(result.ok()) << result.status();
    return result.ok() ? *result : "";
  }

  static std::string Logs(const testing::ServerProcess& server) {
    return absl::StrJoin(server.LogLines(), "\n");
  }

  static testing::E2eEnvironment* environment_;
};

testing::E2eEnvironment* MigrateE2eTest::environment_ = nullptr;

TEST_F(MigrateE2eTest, OwnerMigratesAndSetsTheServiceRolesPassword) {
  const std::string password_file = environment_->dir() + "/service-password";
  std::ofstream(password_file) << "s3rvice-secret\n";
  const testing::CommandOutput run =
      Migrate("migrated", {"--service_password_file=" + password_file});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.err, HasSubstr("schema up to date; the service connects as "
                                 "\"comments_service\""));
  EXPECT_EQ(run.out, "");
  EXPECT_THAT(run.err, Not(HasSubstr("s3rvice-secret")));
  const std::string stored = Query(
      "SELECT rolpassword FROM pg_authid WHERE rolname = 'comments_service'");
  EXPECT_TRUE(absl::StartsWith(stored, "SCRAM-SHA-256$")) << stored;
  EXPECT_THAT(stored, Not(HasSubstr("s3rvice-secret")));
  EXPECT_EQ(Query("SELECT rolsuper FROM pg_roles"
                  " WHERE rolname = 'comments_service'"),
            "f");
}

TEST_F(MigrateE2eTest, RefusesAServiceRoleThatCouldAlterTheSchema) {
  const testing::CommandOutput superuser =
      Migrate("migrated", {"--service_role=postgres"});
  EXPECT_EQ(superuser.exit_code, 1);
  EXPECT_THAT(superuser.err, HasSubstr("\"postgres\" is a superuser"));

  const testing::CommandOutput unknown =
      Migrate("migrated", {"--service_role=nobody"});
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_THAT(unknown.err, HasSubstr("\"nobody\" does not exist"));

  auto usage = testing::RunCommand({COMMENTS_SERVER_PATH, "migrate", "now"});
  ASSERT_TRUE(usage.ok()) << usage.status();
  EXPECT_EQ(usage->exit_code, 2);
  EXPECT_THAT(usage->err, HasSubstr("usage: comments_server"));
}

TEST_F(MigrateE2eTest, ServerAsTheServiceRoleServesWithoutWarning) {
  auto server = environment_->StartServer();
  ASSERT_TRUE(server.ok()) << server.status();
  EXPECT_EQ(Query("SELECT count(*) > 0 FROM pg_stat_activity"
                  " WHERE usename = 'comments_service'"),
            "t");
  EXPECT_THAT(Logs(**server), Not(HasSubstr(kExcessWarning)));
}

TEST_F(MigrateE2eTest, ServerAsTheOwnerWarns) {
  auto server = environment_->StartServer({absl::StrCat(
      "--database_url=", environment_->postgres().ConnectionUri("migrated"))});
  ASSERT_TRUE(server.ok()) << server.status();
  const std::string logs = Logs(**server);
  EXPECT_THAT(logs, HasSubstr(kExcessWarning));
  EXPECT_THAT(logs, HasSubstr("is a superuser"));
}

TEST_F(MigrateE2eTest, ServiceRoleOnAnUnmigratedDatabaseStopsWithAHint) {
  ASSERT_TRUE(environment_->postgres().CreateDatabase("unmigrated").ok());
  auto server = environment_->StartServer({absl::StrCat(
      "--database_url=", environment_->postgres().ConnectionUri(
                             "unmigrated", testing::kServiceRole))});
  ASSERT_FALSE(server.ok());
  EXPECT_THAT(std::string(server.status().message()),
              HasSubstr("run `comments_server migrate` as the schema's owner"));
  EXPECT_EQ(environment_->postgres()
                .Query("unmigrated", "SELECT to_regclass('comments') IS NULL")
                .value_or(""),
            "t");
}

}  // namespace
}  // namespace comments
