// The per-call interceptor reports every call once, with its method, code
// and duration, to its observers: served in process on a loopback port,
// with a health service whose answer the request chooses.
#include "service/api/call_interceptor.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "service/common/json_log.h"

namespace comments::api {
namespace {

constexpr char kCheck[] = "/grpc.health.v1.Health/Check";

class RecordingObserver final : public CallObserver {
 public:
  void OnCallStart(const CallMethod& call) const override {
    Note("start", call);
  }
  void OnMessageReceived(const CallMethod& call) const override {
    Note("received", call);
  }
  void OnMessageSent(const CallMethod& call) const override {
    Note("sent", call);
  }
  void OnCallEnd(const CallRecord& record) const override {
    absl::MutexLock lock(&mu_);
    records_.push_back(record);
    events_.push_back("end " + record.method + " " +
                      std::string(CallTypeName(record.type)));
  }

  // Every event so far, "start /grpc.health.v1.Health/Check unary".
  std::vector<std::string> events() const {
    absl::MutexLock lock(&mu_);
    return events_;
  }

  // Waits until `count` records arrived: the server reports a call as its
  // status goes out, which can be just after the client has it.
  std::vector<CallRecord> Await(size_t count) const {
    absl::MutexLock lock(&mu_);
    const auto enough = [this, count]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return records_.size() >= count;
    };
    mu_.Await(absl::Condition(&enough));
    return records_;
  }

 private:
  void Note(const char* what, const CallMethod& call) const {
    absl::MutexLock lock(&mu_);
    events_.push_back(std::string(what) + " " + std::string(call.method) + " " +
                      std::string(CallTypeName(call.type)));
  }

  mutable absl::Mutex mu_;
  mutable std::vector<CallRecord> records_ ABSL_GUARDED_BY(mu_);
  mutable std::vector<std::string> events_ ABSL_GUARDED_BY(mu_);
};

// Answers OK for the server ("") and for "log" (keeping the log fields the
// handler's lines get), INTERNAL for "fault", NOT_FOUND otherwise.
class ChosenAnswers final : public grpc::health::v1::Health::Service {
 public:
  grpc::Status Check(grpc::ServerContext* context,
                     const grpc::health::v1::HealthCheckRequest* request,
                     grpc::health::v1::HealthCheckResponse* response) override {
    if (request->service() == "log") {
      absl::MutexLock lock(&mu_);
      handler_log_fields_ = log::CurrentScopedFields();
      return grpc::Status::OK;
    }
    if (request->service() == "fault") {
      return grpc::Status(grpc::StatusCode::INTERNAL, "database lost");
    }
    if (!request->service().empty()) {
      return grpc::Status(grpc::StatusCode::NOT_FOUND,
                          "unknown service " + request->service());
    }
    response->set_status(grpc::health::v1::HealthCheckResponse::SERVING);
    return grpc::Status::OK;
  }

  nlohmann::json handler_log_fields() const {
    absl::MutexLock lock(&mu_);
    return handler_log_fields_;
  }

 private:
  mutable absl::Mutex mu_;
  nlohmann::json handler_log_fields_ ABSL_GUARDED_BY(mu_);
};

class CallInterceptorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    grpc::ServerBuilder builder;
    builder.RegisterService(&service_);
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                             &port);
    builder.experimental().SetInterceptorCreators(
        CallInterceptors({&observer_}));
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    stub_ = grpc::health::v1::Health::NewStub(
        grpc::CreateChannel("127.0.0.1:" + std::to_string(port),
                            grpc::InsecureChannelCredentials()));
  }

  void TearDown() override { server_->Shutdown(); }

  grpc::Status Check(
      const std::string& service,
      const std::vector<std::pair<std::string, std::string>>& metadata = {}) {
    grpc::ClientContext context;
    for (const auto& [key, value] : metadata) context.AddMetadata(key, value);
    grpc::health::v1::HealthCheckRequest request;
    request.set_service(service);
    grpc::health::v1::HealthCheckResponse response;
    return stub_->Check(&context, request, &response);
  }

  RecordingObserver observer_;
  ChosenAnswers service_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<grpc::health::v1::Health::Stub> stub_;
};

TEST_F(CallInterceptorTest, ReportsASuccessfulCallOnce) {
  ASSERT_TRUE(Check("").ok());
  const std::vector<CallRecord> records = observer_.Await(1);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].method, kCheck);
  EXPECT_EQ(records[0].code, grpc::StatusCode::OK);
  EXPECT_GE(records[0].duration, absl::ZeroDuration());
  EXPECT_EQ(records[0].message, "");
}

TEST_F(CallInterceptorTest, ReportsTheCodeOfAFailedCallWithoutItsMessage) {
  EXPECT_EQ(Check("no.such.Service").error_code(), grpc::StatusCode::NOT_FOUND);
  ASSERT_TRUE(Check("").ok());
  const std::vector<CallRecord> records = observer_.Await(2);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].method, kCheck);
  EXPECT_EQ(records[0].code, grpc::StatusCode::NOT_FOUND);
  // The caller's own mistake: its text is the caller's business.
  EXPECT_EQ(records[0].message, "");
  EXPECT_EQ(records[1].code, grpc::StatusCode::OK);
}

TEST_F(CallInterceptorTest, KeepsTheMessageOfAServerFault) {
  EXPECT_EQ(Check("fault").error_code(), grpc::StatusCode::INTERNAL);
  const std::vector<CallRecord> records = observer_.Await(1);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].code, grpc::StatusCode::INTERNAL);
  EXPECT_EQ(records[0].message, "database lost");
}

TEST_F(CallInterceptorTest, CarriesTheCallersIdsIntoRecordAndHandlerLogs) {
  ASSERT_TRUE(
      Check("log", {{"traceparent",
                     "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"},
                    {"x-request-id", "req 7"}})
          .ok());
  const std::vector<CallRecord> records = observer_.Await(1);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].trace_id, "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(records[0].x_request_id, "req_7");
  EXPECT_EQ(service_.handler_log_fields(),
            nlohmann::json({{"trace_id", "4bf92f3577b34da6a3ce929d0e0e4736"},
                            {"x_request_id", "req_7"}}));
  // Nothing is left on the thread for whatever it does next.
  EXPECT_EQ(log::CurrentScopedFields(), nlohmann::json::object());
}

TEST_F(CallInterceptorTest, IgnoresAMalformedTraceparent) {
  ASSERT_TRUE(Check("log", {{"traceparent", "ada@example.org"}}).ok());
  const std::vector<CallRecord> records = observer_.Await(1);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].trace_id, "");
  EXPECT_EQ(records[0].x_request_id, "");
  EXPECT_EQ(service_.handler_log_fields(), nlohmann::json::object());
}

TEST_F(CallInterceptorTest, ObserversHearTheStartEachMessageAndTheEnd) {
  ASSERT_TRUE(Check("").ok());
  EXPECT_EQ(Check("no.such.Service").error_code(), grpc::StatusCode::NOT_FOUND);
  observer_.Await(2);
  const std::string check = std::string(kCheck) + " unary";
  // A failed call sends no response message.
  EXPECT_EQ(observer_.events(),
            (std::vector<std::string>{"start " + check, "received " + check,
                                      "sent " + check, "end " + check,
                                      "start " + check, "received " + check,
                                      "end " + check}));
}

TEST(CallRecordTest, CallTypesAreNamedAsTheGrpcTypeLabel) {
  EXPECT_EQ(CallTypeName(CallType::kUnary), "unary");
  EXPECT_EQ(CallTypeName(CallType::kClientStream), "client_stream");
  EXPECT_EQ(CallTypeName(CallType::kServerStream), "server_stream");
  EXPECT_EQ(CallTypeName(CallType::kBidiStream), "bidi_stream");
}

TEST(CallRecordTest, ServerFaultsAreTheServersFailuresOnly) {
  EXPECT_TRUE(ServerFault(grpc::StatusCode::INTERNAL));
  EXPECT_TRUE(ServerFault(grpc::StatusCode::UNAVAILABLE));
  EXPECT_TRUE(ServerFault(grpc::StatusCode::DEADLINE_EXCEEDED));
  EXPECT_TRUE(ServerFault(grpc::StatusCode::UNKNOWN));
  EXPECT_FALSE(ServerFault(grpc::StatusCode::OK));
  EXPECT_FALSE(ServerFault(grpc::StatusCode::INVALID_ARGUMENT));
  EXPECT_FALSE(ServerFault(grpc::StatusCode::UNAUTHENTICATED));
  EXPECT_FALSE(ServerFault(grpc::StatusCode::NOT_FOUND));
  EXPECT_FALSE(ServerFault(grpc::StatusCode::FAILED_PRECONDITION));
}

TEST(CallRecordTest, CodesAreNamedAsGrpcSpellsThem) {
  EXPECT_EQ(CodeName(grpc::StatusCode::OK), "OK");
  EXPECT_EQ(CodeName(grpc::StatusCode::INVALID_ARGUMENT), "INVALID_ARGUMENT");
  EXPECT_EQ(CodeName(grpc::StatusCode::UNAUTHENTICATED), "UNAUTHENTICATED");
}

}  // namespace
}  // namespace comments::api
