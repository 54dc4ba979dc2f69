// The scan of what a client receives finds an email address in the status
// message, in a BadRequest detail and in trailing metadata, a token in
// ErrorInfo metadata and known key material in a detail of a type it does
// not know, and nothing in a clean answer; and the channel's interceptor
// fails the running test for such an answer from a real server, in process
// on a loopback port.
#include "tests/support/answer_scan.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "client/lib/channel.h"
#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "gtest/gtest-spi.h"
#include "gtest/gtest.h"
#include "tests/support/scanned_channel.h"

namespace comments::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr char kEmail[] = "ada.reader@example.org";
// 43 characters of base64url, the shape of a moderator token.
constexpr char kToken[] = "Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FycGx";
constexpr char kKeyMaterial[] = "a2V5IG1hdGVyaWFsIG9mIGEgdGVzdCBzZXJ2ZXIhIQ==";

// error_details as the service sends them: a google.rpc.Status whose details
// are `detail`.
std::string DetailsOf(const google::protobuf::Message& detail,
                      const std::string& message = "the request is wrong") {
  google::rpc::Status status;
  status.set_code(grpc::StatusCode::INVALID_ARGUMENT);
  status.set_message(message);
  status.add_details()->PackFrom(detail);
  return status.SerializeAsString();
}

google::rpc::BadRequest BadEmail(const std::string& description) {
  google::rpc::BadRequest bad_request;
  auto* violation = bad_request.add_field_violations();
  violation->set_field("author_email");
  violation->set_description(description);
  return bad_request;
}

TEST(FindSecretsInAnswerTest, EmailInTheStatusMessage) {
  const grpc::Status status(grpc::StatusCode::INVALID_ARGUMENT,
                            std::string("no such author ") + kEmail);
  EXPECT_THAT(FindSecretsInAnswer(status, {}, {}),
              ElementsAre(AnswerFinding{"status message", "email address"}));
}

TEST(FindSecretsInAnswerTest, EmailInABadRequestDetail) {
  const grpc::Status status(
      grpc::StatusCode::INVALID_ARGUMENT, "the request is wrong",
      DetailsOf(BadEmail(std::string(kEmail) + " is not allowed")));
  EXPECT_THAT(FindSecretsInAnswer(status, {}, {}),
              ElementsAre(AnswerFinding{"detail google.rpc.BadRequest",
                                        "email address"}));
}

TEST(FindSecretsInAnswerTest, EmailInTheDetailsOwnMessage) {
  const grpc::Status status(
      grpc::StatusCode::INVALID_ARGUMENT, "the request is wrong",
      DetailsOf(BadEmail("not an address"), std::string("bad ") + kEmail));
  EXPECT_THAT(
      FindSecretsInAnswer(status, {}, {}),
      ElementsAre(AnswerFinding{"details' status message", "email address"}));
}

TEST(FindSecretsInAnswerTest, EmailInTrailingMetadata) {
  const grpc::Status status(grpc::StatusCode::NOT_FOUND, "no such comment");
  EXPECT_THAT(
      FindSecretsInAnswer(status, {{"x-trace", "abc"}, {"x-echo", kEmail}}, {}),
      ElementsAre(AnswerFinding{"trailing metadata x-echo", "email address"}));
}

TEST(FindSecretsInAnswerTest, TokenInErrorInfoMetadata) {
  google::rpc::ErrorInfo info;
  info.set_reason("TOKEN_REVOKED");
  (*info.mutable_metadata())["token"] = kToken;
  const grpc::Status status(grpc::StatusCode::UNAUTHENTICATED, "revoked",
                            DetailsOf(info));
  EXPECT_THAT(FindSecretsInAnswer(status, {}, {}),
              ElementsAre(AnswerFinding{"detail google.rpc.ErrorInfo",
                                        "moderator token"}));
}

TEST(FindSecretsInAnswerTest, KnownSecretInADetailOfAnUnknownType) {
  google::rpc::Status details;
  google::protobuf::Any* detail = details.add_details();
  detail->set_type_url("type.googleapis.com/example.Unknown");
  detail->set_value(std::string("\x0a\x2c", 2) + kKeyMaterial);
  const grpc::Status status(grpc::StatusCode::INTERNAL, "failed",
                            details.SerializeAsString());
  EXPECT_THAT(
      FindSecretsInAnswer(status, {}, {kKeyMaterial}),
      ElementsAre(AnswerFinding{"detail example.Unknown", "known secret"}));
}

TEST(FindSecretsInAnswerTest, UndecodableDetailsAreScannedAsBytes) {
  const grpc::Status status(grpc::StatusCode::INTERNAL, "failed",
                            std::string("\xff\xff") + kEmail);
  EXPECT_THAT(
      FindSecretsInAnswer(status, {}, {}),
      ElementsAre(AnswerFinding{"undecodable error details", "email address"}));
}

TEST(FindSecretsInAnswerTest, CleanAnswerHasNoFindings) {
  const grpc::Status status(
      grpc::StatusCode::INVALID_ARGUMENT, "author_email: not an address",
      DetailsOf(BadEmail("must be an email address, at most 254 characters")));
  EXPECT_THAT(FindSecretsInAnswer(
                  status, {{"x-trace-id", "4bf92f3577b34da6a3ce929d0e0e4736"}},
                  {kKeyMaterial}),
              IsEmpty());
}

// Answers by the requested service name: each "leak-" answer holds one
// email address in one part, "clean" an error without any.
class LeakingHealth final : public grpc::health::v1::Health::Service {
 public:
  grpc::Status Check(grpc::ServerContext* context,
                     const grpc::health::v1::HealthCheckRequest* request,
                     grpc::health::v1::HealthCheckResponse*) override {
    const std::string& service = request->service();
    if (service == "leak-message") {
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                          std::string("refused ") + kEmail);
    }
    if (service == "leak-detail") {
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                          "the request is wrong", DetailsOf(BadEmail(kEmail)));
    }
    if (service == "leak-metadata") {
      context->AddTrailingMetadata("x-echo", kEmail);
      return grpc::Status(grpc::StatusCode::NOT_FOUND, "unknown service");
    }
    return grpc::Status(grpc::StatusCode::NOT_FOUND, "unknown service",
                        DetailsOf(BadEmail("not an address")));
  }
};

class AnswerScanInterceptorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    grpc::ServerBuilder builder;
    builder.RegisterService(&service_);
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                             &port);
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    client::ChannelOptions options;
    options.address = "127.0.0.1:" + std::to_string(port);
    auto channel = ScannedChannel(options);
    ASSERT_TRUE(channel.ok()) << channel.status();
    stub_ = grpc::health::v1::Health::NewStub(*channel);
  }

  void TearDown() override { server_->Shutdown(); }

  grpc::StatusCode Check(const std::string& service) {
    grpc::ClientContext context;
    grpc::health::v1::HealthCheckRequest request;
    request.set_service(service);
    grpc::health::v1::HealthCheckResponse response;
    return stub_->Check(&context, request, &response).error_code();
  }

  LeakingHealth service_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<grpc::health::v1::Health::Stub> stub_;
};

TEST_F(AnswerScanInterceptorTest, FailsTheTestForAnEmailInTheMessage) {
  EXPECT_NONFATAL_FAILURE_ON_ALL_THREADS(
      EXPECT_EQ(Check("leak-message"), grpc::StatusCode::INVALID_ARGUMENT),
      "the answer to /grpc.health.v1.Health/Check (code 3) holds an email "
      "address in its status message");
}

TEST_F(AnswerScanInterceptorTest, FailsTheTestForAnEmailInADetail) {
  EXPECT_NONFATAL_FAILURE_ON_ALL_THREADS(
      EXPECT_EQ(Check("leak-detail"), grpc::StatusCode::INVALID_ARGUMENT),
      "holds an email address in its detail google.rpc.BadRequest");
}

TEST_F(AnswerScanInterceptorTest, FailsTheTestForAnEmailInTrailingMetadata) {
  EXPECT_NONFATAL_FAILURE_ON_ALL_THREADS(
      EXPECT_EQ(Check("leak-metadata"), grpc::StatusCode::NOT_FOUND),
      "holds an email address in its trailing metadata x-echo");
}

TEST_F(AnswerScanInterceptorTest, NeverShowsTheSecretItself) {
  ::testing::TestPartResultArray failures;
  {
    ::testing::ScopedFakeTestPartResultReporter reporter(
        ::testing::ScopedFakeTestPartResultReporter::INTERCEPT_ALL_THREADS,
        &failures);
    Check("leak-message");
    Check("leak-detail");
    Check("leak-metadata");
  }
  ASSERT_EQ(failures.size(), 3);
  for (int i = 0; i < failures.size(); ++i) {
    EXPECT_EQ(std::string(failures.GetTestPartResult(i).message()).find(kEmail),
              std::string::npos);
  }
}

TEST_F(AnswerScanInterceptorTest, LetsACleanErrorPass) {
  ::testing::TestPartResultArray failures;
  {
    ::testing::ScopedFakeTestPartResultReporter reporter(
        ::testing::ScopedFakeTestPartResultReporter::INTERCEPT_ALL_THREADS,
        &failures);
    EXPECT_EQ(Check("clean"), grpc::StatusCode::NOT_FOUND);
  }
  EXPECT_EQ(failures.size(), 0);
}

}  // namespace
}  // namespace comments::testing
