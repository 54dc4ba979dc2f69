// The start-up check reads what the database really does: both settings
// off on the test harness's fast server, neither on a durable one, and a
// per-database synchronous_commit is seen too.
#include "service/startup/durability_check.h"

#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/postgres_instance.h"

namespace comments::startup {
namespace {

using ::comments::testing::PostgresInstance;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(DurabilityCheckTest, NamesBothSettingsWhenTheServerSkipsThem) {
  auto postgres = PostgresInstance::Start(PostgresInstance::Durability::kOff);
  ASSERT_TRUE(postgres.ok()) << postgres.status();
  const auto off = SettingsLosingCommits((*postgres)->ConnectionString());
  ASSERT_TRUE(off.ok()) << off.status();
  EXPECT_THAT(*off, ElementsAre("fsync", "synchronous_commit"));
}

TEST(DurabilityCheckTest, NamesNothingOnADurableServer) {
  auto postgres = PostgresInstance::Start(PostgresInstance::Durability::kOn);
  ASSERT_TRUE(postgres.ok()) << postgres.status();
  const auto off = SettingsLosingCommits((*postgres)->ConnectionString());
  ASSERT_TRUE(off.ok()) << off.status();
  EXPECT_THAT(*off, IsEmpty());

  // A database can turn synchronous_commit off for its sessions alone.
  ASSERT_TRUE((*postgres)->CreateDatabase("lax").ok());
  ASSERT_TRUE(
      (*postgres)
          ->Query("postgres", "ALTER DATABASE lax SET synchronous_commit = off")
          .ok());
  const auto lax = SettingsLosingCommits((*postgres)->ConnectionString("lax"));
  ASSERT_TRUE(lax.ok()) << lax.status();
  EXPECT_THAT(*lax, ElementsAre("synchronous_commit"));
}

TEST(DurabilityCheckTest, UnreachableDatabaseIsUnavailable) {
  const auto off = SettingsLosingCommits(
      "host=127.0.0.1 port=1 user=postgres connect_timeout=2");
  EXPECT_EQ(off.status().code(), absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace comments::startup
