// TLS on the listening port: a server with a certificate serves TLS clients
// (and only them); with a client CA it also requires client certificates.
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "client/lib/channel.h"
#include "client/lib/moderation_client.h"
#include "gmock/gmock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "tests/e2e/moderation_harness.h"
#include "tests/support/command.h"
#include "tests/support/scanned_channel.h"
#include "tests/support/server_process.h"

namespace comments {
namespace {

using ::testing::HasSubstr;

class TlsE2eTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto harness =
        testing::ModerationHarness::Start(COMMENTS_SERVER_PATH, "tls");
    ASSERT_TRUE(harness.ok()) << harness.status();
    harness_ = harness->release();
    // A self-signed certificate for localhost, made fresh for the run.
    cert_ = new std::string(harness_->dir() + "/cert.pem");
    key_ = new std::string(harness_->dir() + "/key.pem");
    auto made = testing::RunCommand(
        {"openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
         "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", *key_, "-out",
         *cert_, "-days", "2", "-subj", "/CN=localhost", "-addext",
         "subjectAltName=DNS:localhost,IP:127.0.0.1"});
    ASSERT_TRUE(made.ok()) << made.status();
    ASSERT_EQ(made->exit_code, 0) << made->err;
    auto token = harness_->AddModerator("ann");
    ASSERT_TRUE(token.ok()) << token.status();
    token_ = new std::string(*token);
  }

  static void TearDownTestSuite() {
    delete harness_;
    delete cert_;
    delete key_;
    delete token_;
  }

  static std::unique_ptr<testing::ServerProcess> StartServer(
      std::vector<std::string> extra) {
    std::vector<std::string> args = harness_->ServerArgs();
    args.insert(args.end(), extra.begin(), extra.end());
    auto server = testing::ServerProcess::Start(COMMENTS_SERVER_PATH, args);
    EXPECT_TRUE(server.ok()) << server.status();
    return server.ok() ? *std::move(server) : nullptr;
  }

  static std::shared_ptr<grpc::Channel> TlsChannel(const std::string& address,
                                                   bool with_client_cert) {
    client::ChannelOptions options;
    options.address = address;
    options.ca_file = *cert_;
    if (with_client_cert) {
      // The same self-signed certificate serves as the client's.
      options.cert_file = *cert_;
      options.key_file = *key_;
    }
    absl::StatusOr<std::shared_ptr<grpc::Channel>> channel =
        testing::ScannedChannel(options);
    EXPECT_TRUE(channel.ok()) << channel.status();
    return channel.ok() ? *std::move(channel) : nullptr;
  }

  // A ListQueue call with a valid token: its status tells whether the
  // connection was accepted.
  static absl::StatusCode ListQueue(
      const std::shared_ptr<grpc::Channel>& channel) {
    if (channel == nullptr) return absl::StatusCode::kUnknown;
    client::ModerationClient moderator =
        testing::ModeratorClient(channel, *token_, {}, absl::Seconds(5));
    return moderator.ListQueue(v1::ListQueueRequest()).status().code();
  }

  static testing::ModerationHarness* harness_;
  static std::string* cert_;
  static std::string* key_;
  static std::string* token_;
};

testing::ModerationHarness* TlsE2eTest::harness_ = nullptr;
std::string* TlsE2eTest::cert_ = nullptr;
std::string* TlsE2eTest::key_ = nullptr;
std::string* TlsE2eTest::token_ = nullptr;

TEST_F(TlsE2eTest, TlsServerAcceptsTlsClientsOnly) {
  auto server =
      StartServer({"--tls_cert_file=" + *cert_, "--tls_key_file=" + *key_});
  ASSERT_NE(server, nullptr);
  EXPECT_EQ(ListQueue(TlsChannel(server->address(), false)),
            absl::StatusCode::kOk);
  auto health =
      grpc::health::v1::Health::NewStub(TlsChannel(server->address(), false));
  grpc::ClientContext context;
  grpc::health::v1::HealthCheckResponse response;
  ASSERT_TRUE(health->Check(&context, {}, &response).ok());
  EXPECT_EQ(response.status(), grpc::health::v1::HealthCheckResponse::SERVING);

  EXPECT_EQ(ListQueue(testing::PlaintextChannel(server->address())),
            absl::StatusCode::kUnavailable);
}

TEST_F(TlsE2eTest, ClientCaRequiresClientCertificates) {
  auto server =
      StartServer({"--tls_cert_file=" + *cert_, "--tls_key_file=" + *key_,
                   "--tls_client_ca_file=" + *cert_});
  ASSERT_NE(server, nullptr);
  EXPECT_EQ(ListQueue(TlsChannel(server->address(), true)),
            absl::StatusCode::kOk);
  EXPECT_EQ(ListQueue(TlsChannel(server->address(), false)),
            absl::StatusCode::kUnavailable);
}

TEST_F(TlsE2eTest, IncompleteTlsFlagsStopStartUp) {
  std::vector<std::string> args = harness_->ServerArgs();
  args.push_back("--tls_cert_file=" + *cert_);
  auto server = testing::ServerProcess::Start(COMMENTS_SERVER_PATH, args);
  EXPECT_EQ(server.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(server.status().message()),
              HasSubstr("--tls_cert_file and --tls_key_file go together"));
}

TEST_F(TlsE2eTest, PlaintextStaysTheDefault) {
  auto server = StartServer({});
  ASSERT_NE(server, nullptr);
  EXPECT_EQ(ListQueue(testing::PlaintextChannel(server->address())),
            absl::StatusCode::kOk);
}

}  // namespace
}  // namespace comments
