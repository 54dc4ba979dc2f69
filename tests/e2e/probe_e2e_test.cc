// comments_probe against the real server binary on a throwaway database: the
// exit codes a container health check and the smoke script rely on.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "service/security/key_file.h"
#include "tests/support/postgres_instance.h"
#include "tests/support/server_process.h"

extern char** environ;

namespace comments {
namespace {

struct ProbeRun {
  int exit_code = -1;
  std::string output;  // stdout and stderr together
};

// Runs the probe binary with `args`, its environment being ours with
// COMMENTS_PROBE_ADDR and COMMENTS_LISTEN removed and `env` added.
ProbeRun RunProbe(const std::vector<std::string>& args,
                  const std::map<std::string, std::string>& env = {}) {
  std::vector<std::string> env_strings;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    const std::string_view text(*entry);
    if (text.rfind("COMMENTS_PROBE_ADDR=", 0) == 0 ||
        text.rfind("COMMENTS_LISTEN=", 0) == 0) {
      continue;
    }
    env_strings.emplace_back(text);
  }
  for (const auto& [name, value] : env) {
    env_strings.push_back(name + "=" + value);
  }

  std::vector<std::string> argv_strings = {COMMENTS_PROBE_PATH};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<char*> argv_ptrs;
  for (std::string& arg : argv_strings) argv_ptrs.push_back(arg.data());
  argv_ptrs.push_back(nullptr);
  std::vector<char*> env_ptrs;
  for (std::string& entry : env_strings) env_ptrs.push_back(entry.data());
  env_ptrs.push_back(nullptr);

  const std::string output_path = std::filesystem::temp_directory_path() /
                                  absl::StrCat("comments-probe-out-", getpid());
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, output_path.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  pid_t pid = -1;
  ProbeRun run;
  const int spawn_error =
      posix_spawn(&pid, COMMENTS_PROBE_PATH, &actions, nullptr,
                  argv_ptrs.data(), env_ptrs.data());
  posix_spawn_file_actions_destroy(&actions);
  if (spawn_error != 0) return run;
  int wait_status = 0;
  if (waitpid(pid, &wait_status, 0) == pid && WIFEXITED(wait_status)) {
    run.exit_code = WEXITSTATUS(wait_status);
  }
  std::ifstream output(output_path);
  std::stringstream text;
  text << output.rdbuf();
  run.output = text.str();
  std::filesystem::remove(output_path);
  return run;
}

class ProbeE2eTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto postgres = testing::PostgresInstance::Start();
    ASSERT_TRUE(postgres.ok()) << postgres.status();
    postgres_ = postgres->release();
    ASSERT_TRUE(postgres_->CreateDatabase("probe").ok());

    key_dir_ = new std::string(std::filesystem::temp_directory_path() /
                               absl::StrCat("comments-probe-keys-", getpid()));
    std::filesystem::create_directories(*key_dir_);
    std::ofstream(*key_dir_ + "/email.key") << security::NewKeyFileLine("k1");
    std::ofstream(*key_dir_ + "/hash.key") << security::NewKeyFileLine("h1");

    auto server =
        testing::ServerProcess::Start(COMMENTS_SERVER_PATH, ServerArgs());
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = server->release();
  }

  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
    delete postgres_;
    postgres_ = nullptr;
    std::filesystem::remove_all(*key_dir_);
    delete key_dir_;
  }

  static std::vector<std::string> ServerArgs() {
    return {absl::StrCat("--database_url=", postgres_->ConnectionUri("probe")),
            absl::StrCat("--email_key_file=", *key_dir_, "/email.key"),
            absl::StrCat("--email_hash_key_file=", *key_dir_, "/hash.key"),
            "--db_pool_size=2"};
  }

  static std::string Port() {
    const std::string& address = server_->address();
    return address.substr(address.rfind(':') + 1);
  }

  static testing::PostgresInstance* postgres_;
  static testing::ServerProcess* server_;
  static std::string* key_dir_;
};

testing::PostgresInstance* ProbeE2eTest::postgres_ = nullptr;
testing::ServerProcess* ProbeE2eTest::server_ = nullptr;
std::string* ProbeE2eTest::key_dir_ = nullptr;

TEST_F(ProbeE2eTest, ServingServerExitsZero) {
  const ProbeRun run = RunProbe({"--addr=" + server_->address()});
  EXPECT_EQ(run.exit_code, 0) << run.output;
  EXPECT_EQ(run.output, "status: SERVING\n");
}

TEST_F(ProbeE2eTest, AddressFromEnvironment) {
  const ProbeRun run =
      RunProbe({}, {{"COMMENTS_PROBE_ADDR", server_->address()}});
  EXPECT_EQ(run.exit_code, 0) << run.output;
}

TEST_F(ProbeE2eTest, WildcardListenAddressIsProbedOnLoopback) {
  // What the container sets: the server binds every interface, the probe
  // next to it checks the same port on 127.0.0.1.
  const ProbeRun run =
      RunProbe({}, {{"COMMENTS_LISTEN", absl::StrCat("0.0.0.0:", Port())}});
  EXPECT_EQ(run.exit_code, 0) << run.output;
  EXPECT_EQ(run.output, "status: SERVING\n");
}

TEST_F(ProbeE2eTest, UnknownServiceIsRpcFailure) {
  const ProbeRun run = RunProbe(
      {"--addr=" + server_->address(), "--service=no.such.v1.Service"});
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_EQ(run.output, "error: NOT_FOUND\n");
}

TEST_F(ProbeE2eTest, BadUsageExitsOne) {
  EXPECT_EQ(
      RunProbe({"--addr=" + server_->address(), "--timeout_ms=0"}).exit_code,
      1);
  EXPECT_EQ(RunProbe({"--addr=" + server_->address(), "extra"}).exit_code, 1);
}

TEST_F(ProbeE2eTest, StoppedServerIsConnectionFailure) {
  // A server of its own, so the shared one keeps serving the other tests.
  auto server =
      testing::ServerProcess::Start(COMMENTS_SERVER_PATH, ServerArgs());
  ASSERT_TRUE(server.ok()) << server.status();
  const std::string address = (*server)->address();
  ASSERT_EQ(RunProbe({"--addr=" + address}).exit_code, 0);
  auto exit_code = (*server)->Stop(SIGTERM, absl::Seconds(20));
  ASSERT_TRUE(exit_code.ok()) << exit_code.status();
  ASSERT_EQ(*exit_code, 0);

  const ProbeRun run = RunProbe({"--addr=" + address, "--timeout_ms=3000"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(run.output, "error: UNAVAILABLE\n");
}

}  // namespace
}  // namespace comments
