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
#include "tests/support/command.h"
#include "tests/support/postgres_instance.h"
#include "tests/support/server_process.h"

extern char** environ;

namespace comments {
namespace {

struct ProbeRun {
  int exit_code = -1;
  std::string output;  // stdout and stderr together
};

// Runs the probe binary with `args`, its environment being ours without the
// variables the probe reads (address and TLS) and with `env` added.
ProbeRun RunProbe(const std::vector<std::string>& args,
                  const std::map<std::string, std::string>& env = {}) {
  std::vector<std::string> env_strings;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    const std::string_view text(*entry);
    bool read_by_probe = false;
    for (const char* name :
         {"COMMENTS_PROBE_ADDR=", "COMMENTS_LISTEN=", "COMMENTS_TLS_CERT_FILE=",
          "COMMENTS_CA_FILE=", "COMMENTS_CERT_FILE=", "COMMENTS_KEY_FILE=",
          "COMMENTS_TLS_SERVER_NAME="}) {
      read_by_probe = read_by_probe || text.rfind(name, 0) == 0;
    }
    if (read_by_probe) continue;
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

  static std::string Port(const std::string& address = server_->address()) {
    return address.substr(address.rfind(':') + 1);
  }

  // A self-signed certificate for comments.test only (no IP address), so a
  // probe dialling 127.0.0.1 must be told the name to expect.
  static void MakeCertificate() {
    auto made = testing::RunCommand(
        {"openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
         "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", Key(), "-out",
         Cert(), "-days", "2", "-subj", "/CN=comments.test", "-addext",
         "subjectAltName=DNS:comments.test"});
    ASSERT_TRUE(made.ok()) << made.status();
    ASSERT_EQ(made->exit_code, 0) << made->err;
  }
  static std::string Cert() { return *key_dir_ + "/tls-cert.pem"; }
  static std::string Key() { return *key_dir_ + "/tls-key.pem"; }

  static std::unique_ptr<testing::ServerProcess> StartTlsServer(
      bool require_client_certificates) {
    std::vector<std::string> args = ServerArgs();
    args.push_back("--tls_cert_file=" + Cert());
    args.push_back("--tls_key_file=" + Key());
    if (require_client_certificates) {
      // The same self-signed certificate serves as the client's CA.
      args.push_back("--tls_client_ca_file=" + Cert());
    }
    auto server = testing::ServerProcess::Start(COMMENTS_SERVER_PATH, args);
    EXPECT_TRUE(server.ok()) << server.status();
    return server.ok() ? *std::move(server) : nullptr;
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

TEST_F(ProbeE2eTest, TlsServerIsProbedWithTheCliOptions) {
  MakeCertificate();
  std::unique_ptr<testing::ServerProcess> server =
      StartTlsServer(/*require_client_certificates=*/false);
  ASSERT_NE(server, nullptr);
  const std::string addr = "--addr=" + server->address();

  // Plaintext against TLS, or a certificate that does not name 127.0.0.1:
  // no answer.
  EXPECT_EQ(RunProbe({addr, "--timeout_ms=3000"}).exit_code, 2);
  const ProbeRun wrong_name =
      RunProbe({addr, "--ca_file=" + Cert(), "--timeout_ms=3000"});
  EXPECT_EQ(wrong_name.exit_code, 2) << wrong_name.output;

  const ProbeRun named =
      RunProbe({addr, "--ca_file=" + Cert(), "--server_name=comments.test"});
  EXPECT_EQ(named.exit_code, 0) << named.output;
  EXPECT_EQ(named.output, "status: SERVING\n");

  // The container's health check: no flags, the server's own environment
  // (it serves TLS on every interface) plus the CLI's TLS variables.
  const ProbeRun container =
      RunProbe({}, {{"COMMENTS_LISTEN", "0.0.0.0:" + Port(server->address())},
                    {"COMMENTS_TLS_CERT_FILE", Cert()},
                    {"COMMENTS_CA_FILE", Cert()},
                    {"COMMENTS_TLS_SERVER_NAME", "comments.test"}});
  EXPECT_EQ(container.exit_code, 0) << container.output;
  EXPECT_EQ(container.output, "status: SERVING\n");

  const ProbeRun missing_ca =
      RunProbe({addr, "--ca_file=" + *key_dir_ + "/no-such-ca.pem"});
  EXPECT_EQ(missing_ca.exit_code, 1) << missing_ca.output;
  EXPECT_NE(missing_ca.output.find("no-such-ca.pem"), std::string::npos)
      << missing_ca.output;
}

TEST_F(ProbeE2eTest, ServerRequiringClientCertificatesGetsTheProbes) {
  MakeCertificate();
  std::unique_ptr<testing::ServerProcess> server =
      StartTlsServer(/*require_client_certificates=*/true);
  ASSERT_NE(server, nullptr);
  const std::vector<std::string> tls = {
      "--addr=" + server->address(), "--ca_file=" + Cert(),
      "--server_name=comments.test", "--timeout_ms=3000"};
  const ProbeRun anonymous = RunProbe(tls);
  EXPECT_EQ(anonymous.exit_code, 2) << anonymous.output;

  std::vector<std::string> with_certificate = tls;
  with_certificate.push_back("--cert_file=" + Cert());
  with_certificate.push_back("--key_file=" + Key());
  const ProbeRun identified = RunProbe(with_certificate);
  EXPECT_EQ(identified.exit_code, 0) << identified.output;
  const ProbeRun from_environment = RunProbe(
      tls, {{"COMMENTS_CERT_FILE", Cert()}, {"COMMENTS_KEY_FILE", Key()}});
  EXPECT_EQ(from_environment.exit_code, 0) << from_environment.output;
}

}  // namespace
}  // namespace comments
