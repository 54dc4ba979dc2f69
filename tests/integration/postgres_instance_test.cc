// Self-test of the PostgreSQL harness that the storage tests build on.
#include "tests/support/postgres_instance.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gtest/gtest.h"

namespace comments::testing {
namespace {

TEST(PostgresInstanceTest, QueriesSurvivePauseAndResume) {
  absl::StatusOr<std::unique_ptr<PostgresInstance>> started =
      PostgresInstance::Start();
  ASSERT_TRUE(started.ok()) << started.status();
  std::unique_ptr<PostgresInstance> pg = *std::move(started);
  EXPECT_GT(pg->port(), 0);

  ASSERT_TRUE(pg->CreateDatabase("harness").ok());
  absl::StatusOr<std::string> sum = pg->Query("harness", "select 1+1");
  ASSERT_TRUE(sum.ok()) << sum.status();
  EXPECT_EQ(*sum, "2");

  // Tuples only: no command tags, rows separated by newlines.
  ASSERT_TRUE(pg->Query("harness",
                        "create table t (v text); "
                        "insert into t values ('a'), ('b')")
                  .ok());
  absl::StatusOr<std::string> rows =
      pg->Query("harness", "select v from t order by v");
  ASSERT_TRUE(rows.ok()) << rows.status();
  EXPECT_EQ(*rows, "a\nb");

  // The server listens on loopback only.
  absl::StatusOr<std::string> listen =
      pg->Query("harness", "show listen_addresses");
  ASSERT_TRUE(listen.ok()) << listen.status();
  EXPECT_EQ(*listen, "127.0.0.1");

  const int port = pg->port();
  ASSERT_TRUE(pg->Pause().ok());
  absl::StatusOr<std::string> while_paused = pg->Query("harness", "select 1");
  EXPECT_EQ(while_paused.status().code(), absl::StatusCode::kUnavailable)
      << while_paused.status();

  ASSERT_TRUE(pg->Resume().ok());
  EXPECT_EQ(pg->port(), port);
  absl::StatusOr<std::string> again =
      pg->Query("harness", "select count(*) from t");
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(*again, "2");
}

// A fast restart keeps the data, the port and the settings of the start.
TEST(PostgresInstanceTest, RestartKeepsDataPortAndSettings) {
  auto pg = PostgresInstance::Start();
  ASSERT_TRUE(pg.ok()) << pg.status();
  ASSERT_TRUE((*pg)->CreateDatabase("restart").ok());
  ASSERT_TRUE((*pg)
                  ->Query("restart",
                          "create table t (v int); "
                          "insert into t values (1)")
                  .ok());
  const int port = (*pg)->port();
  absl::Status restarted = (*pg)->Restart();
  ASSERT_TRUE(restarted.ok()) << restarted;
  EXPECT_EQ((*pg)->port(), port);
  EXPECT_EQ(*(*pg)->Query("restart", "select count(*) from t"), "1");
  EXPECT_EQ(*(*pg)->Query("restart", "show max_connections"), "200");
}

// After kill -9 of the postmaster, Resume runs crash recovery and a
// committed row is still there. The commit waits for its WAL to be written
// (synchronous_commit on for the session); fsync stays off, since a killed
// process, unlike a crashed machine, loses nothing the kernel holds.
TEST(PostgresInstanceTest, KilledPostmasterResumesWithCommittedData) {
  auto pg = PostgresInstance::Start();
  ASSERT_TRUE(pg.ok()) << pg.status();
  ASSERT_TRUE((*pg)->CreateDatabase("killed").ok());
  ASSERT_TRUE((*pg)
                  ->Query("killed",
                          "set synchronous_commit = on; "
                          "create table t (v int); "
                          "insert into t values (1)")
                  .ok());
  for (int kill = 0; kill < 2; ++kill) {
    absl::Status killed = (*pg)->KillPostmaster();
    ASSERT_TRUE(killed.ok()) << killed;
    EXPECT_EQ((*pg)->Query("killed", "select 1").status().code(),
              absl::StatusCode::kUnavailable);
    absl::Status resumed = (*pg)->Resume();
    ASSERT_TRUE(resumed.ok()) << resumed;
    EXPECT_EQ(*(*pg)->Query("killed", "select count(*) from t"), "1");
  }
}

TEST(PostgresInstanceTest, ResumeReportsATakenPortAndLeavesNoServer) {
  absl::StatusOr<std::unique_ptr<PostgresInstance>> started =
      PostgresInstance::Start();
  ASSERT_TRUE(started.ok()) << started.status();
  std::unique_ptr<PostgresInstance> pg = *std::move(started);
  ASSERT_TRUE(pg->Pause().ok());

  int squatter = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(squatter, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<uint16_t>(pg->port()));
  ASSERT_EQ(
      bind(squatter, reinterpret_cast<sockaddr*>(&address), sizeof(address)),
      0);
  ASSERT_EQ(listen(squatter, 1), 0);
  absl::Status resumed = pg->Resume();
  close(squatter);
  EXPECT_EQ(resumed.code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(resumed.message().find("could not bind"), std::string::npos)
      << resumed;

  ASSERT_TRUE(pg->Resume().ok());
  absl::StatusOr<std::string> one = pg->Query("postgres", "select 1");
  ASSERT_TRUE(one.ok()) << one.status();
  EXPECT_EQ(*one, "1");
}

TEST(PostgresInstanceTest, SqlErrorIsReportedWithTheServerMessage) {
  absl::StatusOr<std::unique_ptr<PostgresInstance>> pg =
      PostgresInstance::Start();
  ASSERT_TRUE(pg.ok()) << pg.status();
  absl::StatusOr<std::string> result =
      (*pg)->Query("postgres", "select * from no_such_table");
  EXPECT_EQ(result.status().code(), absl::StatusCode::kInternal);
  EXPECT_NE(result.status().message().find("no_such_table"), std::string::npos)
      << result.status();
}

TEST(PostgresInstanceTest, ConnectionStringsNameTheDatabase) {
  absl::StatusOr<std::unique_ptr<PostgresInstance>> pg =
      PostgresInstance::Start();
  ASSERT_TRUE(pg.ok()) << pg.status();
  const std::string port = std::to_string((*pg)->port());
  EXPECT_EQ((*pg)->ConnectionUri("comments"),
            "postgresql://postgres@127.0.0.1:" + port + "/comments");
  EXPECT_EQ(
      (*pg)->ConnectionString("comments"),
      "host=127.0.0.1 port=" + port + " user='postgres' dbname='comments'");
  EXPECT_EQ((*pg)->ConnectionUri("comments", "comments_service"),
            "postgresql://comments_service@127.0.0.1:" + port + "/comments");
  EXPECT_EQ((*pg)->ConnectionString("comments", "comments_service"),
            "host=127.0.0.1 port=" + port +
                " user='comments_service' dbname='comments'");
}

TEST(PostgresInstanceTest, DestructorRemovesTheDataFolder) {
  absl::StatusOr<std::unique_ptr<PostgresInstance>> pg =
      PostgresInstance::Start();
  ASSERT_TRUE(pg.ok()) << pg.status();
  absl::StatusOr<std::string> data_dir =
      (*pg)->Query("postgres", "show data_directory");
  ASSERT_TRUE(data_dir.ok()) << data_dir.status();
  const std::filesystem::path root =
      std::filesystem::path(*data_dir).parent_path();
  ASSERT_TRUE(std::filesystem::exists(*data_dir));

  pg->reset();
  EXPECT_FALSE(std::filesystem::exists(root)) << root;
}

}  // namespace
}  // namespace comments::testing
