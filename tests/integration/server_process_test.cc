// Self-test of the child-process harness behind the black-box tests, with
// /bin/sh standing in for the server.
#include "tests/support/server_process.h"

#include <signal.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace comments::testing {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;

// `sh -c SCRIPT` puts the extra "--listen=127.0.0.1:0" into $0.
constexpr char kShell[] = "/bin/sh";

TEST(ServerProcessTest, ReadsTheAddressFromTheListeningLine) {
  absl::StatusOr<std::unique_ptr<ServerProcess>> server = ServerProcess::Start(
      kShell, {"-c",
               "echo 'not json' >&2; "
               "echo '{\"level\":\"info\",\"msg\":\"listening\","
               "\"address\":\"127.0.0.1:4242\"}' >&2; "
               "exec sleep 600"});
  ASSERT_TRUE(server.ok()) << server.status();
  EXPECT_EQ((*server)->address(), "127.0.0.1:4242");
  EXPECT_GT((*server)->pid(), 0);
  EXPECT_THAT((*server)->LogLines(), Contains("not json"));

  absl::StatusOr<int> code = (*server)->Stop(SIGTERM, absl::Seconds(10));
  ASSERT_TRUE(code.ok()) << code.status();
  EXPECT_EQ(*code, 128 + SIGTERM);
  // Stopping twice reports the same exit instead of signalling a stale pid.
  EXPECT_EQ(*(*server)->Stop(SIGTERM, absl::Seconds(1)), 128 + SIGTERM);
}

TEST(ServerProcessTest, PassesTheListenFlagUnlessGiven) {
  absl::StatusOr<std::unique_ptr<ServerProcess>> server = ServerProcess::Start(
      kShell, {"-c",
               "echo \"{\\\"msg\\\":\\\"listening\\\",\\\"address\\\":"
               "\\\"$0\\\"}\" >&2; exec sleep 600"});
  ASSERT_TRUE(server.ok()) << server.status();
  EXPECT_EQ((*server)->address(), "--listen=127.0.0.1:0");

  server = ServerProcess::Start(
      kShell, {"-c",
               "echo \"{\\\"msg\\\":\\\"listening\\\",\\\"address\\\":"
               "\\\"$1\\\"}\" >&2; exec sleep 600",
               "sh", "--listen=127.0.0.1:7"});
  ASSERT_TRUE(server.ok()) << server.status();
  EXPECT_EQ((*server)->address(), "--listen=127.0.0.1:7");
}

TEST(ServerProcessTest, ReportsAnEarlyExitWithItsStderr) {
  absl::StatusOr<std::unique_ptr<ServerProcess>> server = ServerProcess::Start(
      kShell, {"-c", "echo 'missing --email_key_file' >&2; exit 3"});
  ASSERT_FALSE(server.ok());
  EXPECT_THAT(server.status().message(), HasSubstr("exit code 3"));
  EXPECT_THAT(server.status().message(), HasSubstr("missing --email_key_file"));
}

TEST(ServerProcessTest, ReportsAMissingBinary) {
  absl::StatusOr<std::unique_ptr<ServerProcess>> server =
      ServerProcess::Start("/nonexistent/comments_server", {});
  ASSERT_FALSE(server.ok());
  EXPECT_THAT(server.status().message(), HasSubstr("exec failed"));
}

TEST(ServerProcessTest, TimesOutWhenTheServerNeverListens) {
  absl::StatusOr<std::unique_ptr<ServerProcess>> server =
      ServerProcess::Start(kShell, {"-c", "echo starting >&2; exec sleep 600"},
                           absl::Milliseconds(200));
  EXPECT_EQ(server.status().code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_THAT(server.status().message(), HasSubstr("starting"));
}

TEST(ServerProcessTest, StopTimesOutWhenTheSignalIsIgnored) {
  absl::StatusOr<std::unique_ptr<ServerProcess>> server = ServerProcess::Start(
      kShell, {"-c",
               "trap '' TERM; "
               "echo '{\"msg\":\"listening\",\"address\":\"x\"}' >&2; "
               "exec sleep 600"});
  ASSERT_TRUE(server.ok()) << server.status();
  absl::StatusOr<int> code = (*server)->Stop(SIGTERM, absl::Milliseconds(200));
  EXPECT_EQ(code.status().code(), absl::StatusCode::kDeadlineExceeded);
  code = (*server)->Stop(SIGKILL, absl::Seconds(10));
  ASSERT_TRUE(code.ok()) << code.status();
  EXPECT_EQ(*code, 128 + SIGKILL);
}

}  // namespace
}  // namespace comments::testing
