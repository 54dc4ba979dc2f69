// The service's database role against a real PostgreSQL: after the owner
// migrates, the role the service connects as owns nothing, may read and
// write rows, and can neither disable the audit trail's triggers nor delete,
// change or truncate its rows. Later migrations' tables are granted to it
// by default.
#include "service/storage/service_role.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "pqxx/pqxx"
#include "service/storage/migrations.h"
#include "tests/support/postgres_suite.h"

namespace comments::storage {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

constexpr char kDatabase[] = "roles";

// What PostgreSQL answers to `sql` run on its own: "" when it succeeds, else
// "42501 " plus the message for insufficient_privilege (the only error
// these tests expect), or "other " plus the message.
std::string Outcome(const std::string& connection_string,
                    const std::string& sql) {
  try {
    pqxx::connection connection(connection_string);
    pqxx::work transaction(connection);
    transaction.exec(sql);
    transaction.commit();
    return "";
  } catch (const pqxx::insufficient_privilege& error) {
    return absl::StrCat("42501 ", error.what());
  } catch (const pqxx::sql_error& error) {
    return absl::StrCat("other ", error.what());
  }
}

class ServiceRoleTest : public comments::testing::PostgresSuite {
 protected:
  static void SetUpTestSuite() {
    PostgresSuite::SetUpTestSuite();
    // The superuser is the schema's owner, as in docker-compose.yml.
    ASSERT_NO_FATAL_FAILURE(CreateMigratedDatabase(kDatabase));
  }

  static std::string Service(const std::string& database = kDatabase) {
    return postgres_->ConnectionString(database, kDefaultServiceRole);
  }

  static std::string Query(const std::string& database,
                           const std::string& sql) {
    auto result = postgres_->Query(database, sql);
    EXPECT_TRUE(result.ok()) << result.status();
    return result.ok() ? *result : "";
  }
};

TEST_F(ServiceRoleTest, CannotDisableTheAuditTrailsTriggers) {
  for (const char* sql :
       {"ALTER TABLE moderation_events DISABLE TRIGGER "
        "moderation_events_no_update_or_delete",
        "ALTER TABLE moderation_events DISABLE TRIGGER ALL",
        "DROP TRIGGER moderation_events_no_truncate ON moderation_events",
        "DROP TABLE moderation_events"}) {
    EXPECT_THAT(Outcome(Service(), sql),
                AllOf(HasSubstr("42501 ERROR:  must be owner of "),
                      HasSubstr(" moderation_events")))
        << sql;
  }
  EXPECT_EQ(Query(kDatabase,
                  "SELECT count(*) FROM pg_trigger WHERE tgrelid = "
                  "'moderation_events'::regclass AND tgenabled = 'O'"),
            "2");
}

TEST_F(ServiceRoleTest, CannotDeleteChangeOrTruncateAuditRows) {
  ASSERT_EQ(Outcome(Service(),
                    "INSERT INTO moderation_events (moderator, action, reason)"
                    " VALUES ('ann', 'ERASE', 'kept')"),
            "");
  // The privilege refuses before the trigger could: the message is
  // PostgreSQL's own, not the trigger's "append-only".
  for (const char* sql : {"DELETE FROM moderation_events",
                          "UPDATE moderation_events SET reason = 'rewritten'",
                          "TRUNCATE moderation_events"}) {
    EXPECT_THAT(
        Outcome(Service(), sql),
        HasSubstr(
            "42501 ERROR:  permission denied for table moderation_events"))
        << sql;
  }
  EXPECT_EQ(Query(kDatabase,
                  "SELECT count(*) FROM moderation_events WHERE reason = "
                  "'kept'"),
            "1");
}

TEST_F(ServiceRoleTest, OwnsNothingAndMayNotChangeTheSchema) {
  EXPECT_EQ(
      Query(kDatabase,
            "SELECT (SELECT count(*) FROM pg_class WHERE relowner = r.oid)"
            " + (SELECT count(*) FROM pg_proc WHERE proowner = r.oid)"
            " + (SELECT count(*) FROM pg_type WHERE typowner = r.oid)"
            " + (SELECT count(*) FROM pg_namespace WHERE nspowner = r.oid)"
            " + (SELECT count(*) FROM pg_database WHERE datdba = r.oid)"
            " FROM pg_roles r WHERE rolname = 'comments_service'"),
      "0");
  EXPECT_EQ(Query(kDatabase,
                  "SELECT rolsuper, rolcreaterole, rolcreatedb, rolbypassrls"
                  " FROM pg_roles WHERE rolname = 'comments_service'"),
            "f|f|f|f");
  EXPECT_THAT(Outcome(Service(), "CREATE TABLE intruder (id int)"),
              HasSubstr("42501 ERROR:  permission denied for schema public"));
  EXPECT_THAT(Outcome(Service(), "ALTER TABLE comments DROP COLUMN body"),
              HasSubstr("42501 ERROR:  must be owner of table comments"));
  EXPECT_THAT(Outcome(Service(), "TRUNCATE comments"),
              HasSubstr("42501 ERROR:  permission denied for table comments"));
  EXPECT_THAT(
      Outcome(Service(), "DELETE FROM moderators"),
      HasSubstr("42501 ERROR:  permission denied for table moderators"));
  EXPECT_THAT(
      Outcome(Service(), "DELETE FROM schema_migrations"),
      HasSubstr("42501 ERROR:  permission denied for table schema_migrations"));

  auto excess = ExcessPrivileges(Service());
  ASSERT_TRUE(excess.ok()) << excess.status();
  EXPECT_THAT(*excess, IsEmpty());
  auto owner = ExcessPrivileges(postgres_->ConnectionString(kDatabase));
  ASSERT_TRUE(owner.ok()) << owner.status();
  ASSERT_EQ(owner->size(), 2u);
  EXPECT_EQ((*owner)[0], "is a superuser");
  EXPECT_THAT((*owner)[1], HasSubstr("can alter or drop"));
}

TEST_F(ServiceRoleTest, ReadsAndWritesTheRowsTheServiceNeeds) {
  for (const char* sql :
       {"INSERT INTO comments (id, thread, author_name, body, state)"
        " VALUES ('6a1d3b1e-4f0a-4c51-9d0e-2b7f7f1f0a01', 'roles', 'Ann',"
        " 'A body.', 'PENDING')",
        "UPDATE comments SET state = 'APPROVED'"
        " WHERE id = '6a1d3b1e-4f0a-4c51-9d0e-2b7f7f1f0a01'",
        "SELECT count(*) FROM comments",
        "DELETE FROM comments WHERE id = "
        "'6a1d3b1e-4f0a-4c51-9d0e-2b7f7f1f0a01'",
        "INSERT INTO moderators (name, token_hash)"
        " VALUES ('roles-ann', decode(repeat('ab', 32), 'hex'))",
        "UPDATE moderators SET revoke_time = now() WHERE name = 'roles-ann'",
        "INSERT INTO submission_limits (key) VALUES ('\\x01')",
        "DELETE FROM submission_limits WHERE key = '\\x01'",
        "SELECT name FROM schema_migrations", "LISTEN comment_queue"}) {
    EXPECT_EQ(Outcome(Service(), sql), "") << sql;
  }
  auto pending = PendingMigrations(Service());
  ASSERT_TRUE(pending.ok()) << pending.status();
  EXPECT_THAT(*pending, IsEmpty());
  // Nothing to apply: the service role may "migrate" an up-to-date schema,
  // which is what every server does at start-up.
  auto applied = ApplyMigrations(Service());
  ASSERT_TRUE(applied.ok()) << applied.status();
  EXPECT_EQ(*applied, 0);
  EXPECT_TRUE(CheckServiceRole(Service(), kDefaultServiceRole).ok());
}

TEST_F(ServiceRoleTest, TablesOfLaterMigrationsAreGrantedByDefault) {
  ASSERT_TRUE(postgres_->CreateDatabase("later").ok());
  std::vector<Migration> migrations = EmbeddedMigrations();
  migrations.push_back({"9999_later.sql",
                        "CREATE TABLE later (id bigint GENERATED ALWAYS AS "
                        "IDENTITY, note text)"});
  auto applied =
      ApplyMigrations(postgres_->ConnectionString("later"), migrations);
  ASSERT_TRUE(applied.ok()) << applied.status();
  for (const char* sql :
       {"INSERT INTO later (note) VALUES ('a')", "UPDATE later SET note = 'b'",
        "SELECT * FROM later", "DELETE FROM later"}) {
    EXPECT_EQ(Outcome(Service("later"), sql), "") << sql;
  }
  EXPECT_THAT(Outcome(Service("later"), "ALTER TABLE later ADD COLUMN x int"),
              HasSubstr("42501 ERROR:  must be owner of table later"));
}

TEST_F(ServiceRoleTest, ServiceRoleCannotApplyPendingMigrations) {
  ASSERT_TRUE(postgres_->CreateDatabase("unmigrated").ok());
  auto pending = PendingMigrations(Service("unmigrated"));
  ASSERT_TRUE(pending.ok()) << pending.status();
  EXPECT_EQ(pending->size(), EmbeddedMigrations().size());

  auto applied = ApplyMigrations(Service("unmigrated"));
  EXPECT_EQ(applied.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(applied.status().message(),
              HasSubstr("run `comments_server migrate` as the schema's owner"));
  EXPECT_EQ(Query("unmigrated", "SELECT to_regclass('comments') IS NULL"), "t");
}

TEST_F(ServiceRoleTest, MigrationsRefuseTheOwnerAsServiceRole) {
  ASSERT_TRUE(postgres_->CreateDatabase("self").ok());
  auto applied = ApplyMigrations(postgres_->ConnectionString("self"),
                                 EmbeddedMigrations(), {"postgres"});
  EXPECT_EQ(applied.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(
      applied.status().message(),
      HasSubstr("0007_service_role.sql failed: ERROR:  the service "
                "role \"postgres\" is the role running the migrations"));
}

TEST_F(ServiceRoleTest, OtherServiceRoleIsCreatedAndGrantedInstead) {
  ASSERT_TRUE(postgres_->CreateDatabase("site_b").ok());
  const std::string owner = postgres_->ConnectionString("site_b");
  auto applied =
      ApplyMigrations(owner, EmbeddedMigrations(), {"site b service"});
  ASSERT_TRUE(applied.ok()) << applied.status();
  EXPECT_TRUE(CheckServiceRole(owner, "site b service").ok());
  EXPECT_EQ(Outcome(postgres_->ConnectionString("site_b", "site b service"),
                    "SELECT count(*) FROM comments"),
            "");
  // The default role exists in the cluster (other databases), but holds
  // nothing in this one.
  absl::Status other = CheckServiceRole(owner, kDefaultServiceRole);
  EXPECT_EQ(other.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(other.message(), HasSubstr("lacks the privileges"));
  EXPECT_THAT(Outcome(Service("site_b"), "SELECT count(*) FROM comments"),
              HasSubstr("42501 ERROR:  permission denied for table comments"));

  EXPECT_THAT(CheckServiceRole(owner, "nobody").message(),
              HasSubstr("\"nobody\" does not exist"));
  EXPECT_THAT(CheckServiceRole(owner, "postgres").message(),
              HasSubstr("is a superuser"));
}

// What the benchmark's baseline does: every file through psql, without
// the runner's setting or its schema_migrations table.
TEST_F(ServiceRoleTest, MigrationsAppliedByHandGrantTheDefaultRole) {
  ASSERT_TRUE(postgres_->CreateDatabase("by_hand").ok());
  for (const Migration& migration : EmbeddedMigrations()) {
    auto applied = postgres_->Query("by_hand", migration.sql);
    ASSERT_TRUE(applied.ok()) << migration.name << ": " << applied.status();
  }
  EXPECT_EQ(Outcome(Service("by_hand"), "SELECT count(*) FROM comments"), "");
  EXPECT_THAT(Outcome(Service("by_hand"), "DELETE FROM moderation_events"),
              HasSubstr("42501 ERROR:  permission denied for table "
                        "moderation_events"));
}

TEST_F(ServiceRoleTest, PasswordIsStoredAsAVerifierOnly) {
  const std::string owner = postgres_->ConnectionString(kDatabase);
  ASSERT_TRUE(SetRolePassword(owner, kDefaultServiceRole,
                              "correct horse battery staple")
                  .ok());
  const std::string stored = Query(
      kDatabase,
      "SELECT rolpassword FROM pg_authid WHERE rolname = 'comments_service'");
  EXPECT_THAT(stored, HasSubstr("SCRAM-SHA-256$"));
  EXPECT_THAT(stored, Not(HasSubstr("correct horse")));
  EXPECT_EQ(SetRolePassword(owner, kDefaultServiceRole, "").code(),
            absl::StatusCode::kInvalidArgument);
  // Only a role with CREATEROLE may set it.
  absl::Status refused =
      SetRolePassword(Service(), kDefaultServiceRole, "another");
  EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(refused.message(), HasSubstr("needs CREATEROLE"));
}

}  // namespace
}  // namespace comments::storage
