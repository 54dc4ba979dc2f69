// CallWithRetry and the status conversions of the client library.
#include "client/lib/call_support.h"

#include <vector>

#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "grpcpp/test/client_context_test_peer.h"
#include "gtest/gtest.h"
#include "tests/support/wire_details.h"

namespace comments::client {
namespace {

using wire_details::GetBadRequest;
using wire_details::GetErrorInfo;

using ::testing::ElementsAre;

CallOptions QuickOptions() {
  CallOptions options;
  options.timeout = absl::Seconds(10);
  options.initial_backoff = absl::Milliseconds(1);
  options.max_backoff = absl::Milliseconds(2);
  return options;
}

// An attempt function that answers each try with the next of `results`.
struct Scripted {
  std::vector<grpc::Status> results;
  int calls = 0;
  grpc::Status operator()(grpc::ClientContext&) { return results[calls++]; }
};

grpc::Status Unavailable() {
  return grpc::Status(grpc::StatusCode::UNAVAILABLE, "down");
}

TEST(CallWithRetryTest, RetriesUnavailableUntilSuccessWhenIdempotent) {
  Scripted script{{Unavailable(), Unavailable(), grpc::Status::OK}};
  std::vector<int> retried_after;
  CallOptions options = QuickOptions();
  options.on_retry = [&](const absl::Status& status, int attempt,
                         absl::Duration) {
    EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable);
    retried_after.push_back(attempt);
  };
  EXPECT_TRUE(
      CallWithRetry(options, /*idempotent=*/true, std::ref(script)).ok());
  EXPECT_EQ(script.calls, 3);
  EXPECT_THAT(retried_after, ElementsAre(1, 2));
}

TEST(CallWithRetryTest, NeverRetriesWhenNotIdempotent) {
  Scripted script{{Unavailable(), grpc::Status::OK}};
  absl::Status status =
      CallWithRetry(QuickOptions(), /*idempotent=*/false, std::ref(script));
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(script.calls, 1);
}

TEST(CallWithRetryTest, NeverRetriesOtherCodes) {
  for (grpc::StatusCode code :
       {grpc::StatusCode::DEADLINE_EXCEEDED, grpc::StatusCode::INTERNAL,
        grpc::StatusCode::ABORTED, grpc::StatusCode::RESOURCE_EXHAUSTED,
        grpc::StatusCode::CANCELLED}) {
    Scripted script{{grpc::Status(code, "no"), grpc::Status::OK}};
    absl::Status status =
        CallWithRetry(QuickOptions(), /*idempotent=*/true, std::ref(script));
    EXPECT_EQ(static_cast<int>(status.code()), static_cast<int>(code));
    EXPECT_EQ(script.calls, 1);
  }
}

TEST(CallWithRetryTest, StopsAfterMaxAttempts) {
  Scripted script{
      {Unavailable(), Unavailable(), Unavailable(), grpc::Status::OK}};
  CallOptions options = QuickOptions();
  options.max_attempts = 3;
  absl::Status status =
      CallWithRetry(options, /*idempotent=*/true, std::ref(script));
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(script.calls, 3);
}

TEST(CallWithRetryTest, NeverPausesPastTheDeadline) {
  Scripted script{{Unavailable(), grpc::Status::OK}};
  CallOptions options = QuickOptions();
  options.timeout = absl::Milliseconds(50);
  options.initial_backoff = absl::Seconds(10);
  options.max_backoff = absl::Seconds(10);
  const absl::Time start = absl::Now();
  absl::Status status =
      CallWithRetry(options, /*idempotent=*/true, std::ref(script));
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(script.calls, 1);
  EXPECT_LT(absl::Now() - start, absl::Seconds(5));
}

TEST(CallWithRetryTest, EveryAttemptSharesOneDeadlineAndCarriesTheToken) {
  std::vector<std::chrono::system_clock::time_point> deadlines;
  std::vector<std::string> tokens;
  int calls = 0;
  CallOptions options = QuickOptions();
  options.bearer_token = "secret-token";
  const absl::Time before = absl::Now();
  const absl::Status status = CallWithRetry(
      options, /*idempotent=*/true, [&](grpc::ClientContext& context) {
        deadlines.push_back(context.deadline());
        for (const auto& [key, value] :
             grpc::testing::ClientContextTestPeer(&context)
                 .GetSendInitialMetadata()) {
          if (key == "authorization") tokens.push_back(value);
        }
        return ++calls < 2 ? Unavailable() : grpc::Status::OK;
      });
  EXPECT_TRUE(status.ok()) << status;
  ASSERT_EQ(deadlines.size(), 2u);
  EXPECT_EQ(deadlines[0], deadlines[1]);
  const absl::Time deadline = absl::FromChrono(deadlines[0]);
  EXPECT_GE(deadline, before + options.timeout);
  EXPECT_LE(deadline, absl::Now() + options.timeout);
  EXPECT_THAT(tokens,
              ElementsAre("Bearer secret-token", "Bearer secret-token"));
}

TEST(CallWithRetryTest, WaitsAtLeastTheServersRetryDelay) {
  google::rpc::Status details;
  details.set_code(grpc::StatusCode::UNAVAILABLE);
  google::rpc::RetryInfo retry;
  retry.mutable_retry_delay()->set_nanos(30'000'000);  // 30 ms
  details.add_details()->PackFrom(retry);
  Scripted script{{grpc::Status(grpc::StatusCode::UNAVAILABLE, "busy",
                                details.SerializeAsString()),
                   grpc::Status::OK}};
  absl::Duration paused;
  CallOptions options = QuickOptions();
  options.on_retry = [&](const absl::Status&, int, absl::Duration pause) {
    paused = pause;
  };
  EXPECT_TRUE(
      CallWithRetry(options, /*idempotent=*/true, std::ref(script)).ok());
  EXPECT_GE(paused, absl::Milliseconds(30));
}

TEST(FromGrpcStatusTest, DetailsBecomePayloads) {
  google::rpc::Status details;
  details.set_code(grpc::StatusCode::INVALID_ARGUMENT);
  google::rpc::BadRequest bad_request;
  auto* violation = bad_request.add_field_violations();
  violation->set_field("comment.body");
  violation->set_description("is required");
  details.add_details()->PackFrom(bad_request);
  absl::Status status = FromGrpcStatus(
      grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "invalid request",
                   details.SerializeAsString()));
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "invalid request");
  auto decoded = GetBadRequest(status);
  ASSERT_TRUE(decoded.has_value());
  ASSERT_EQ(decoded->field_violations_size(), 1);
  EXPECT_EQ(decoded->field_violations(0).field(), "comment.body");
}

TEST(FromGrpcStatusTest, OkAndUndecodableDetails) {
  EXPECT_TRUE(FromGrpcStatus(grpc::Status::OK).ok());
  absl::Status status = FromGrpcStatus(
      grpc::Status(grpc::StatusCode::INTERNAL, "oops", "\xff\xff not proto"));
  EXPECT_EQ(status.code(), absl::StatusCode::kInternal);
  EXPECT_FALSE(GetBadRequest(status).has_value());
}

TEST(FromRpcStatusTest, BatchResultStatusesKeepTheirDetails) {
  google::rpc::Status rpc;
  rpc.set_code(9);  // FAILED_PRECONDITION
  rpc.set_message("comment is already APPROVED");
  google::rpc::ErrorInfo info;
  info.set_reason("INVALID_TRANSITION");
  rpc.add_details()->PackFrom(info);
  absl::Status status = FromRpcStatus(rpc);
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(status.message(), "comment is already APPROVED");
  auto decoded = GetErrorInfo(status);
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(decoded->reason(), "INVALID_TRANSITION");
  EXPECT_TRUE(FromRpcStatus(google::rpc::Status()).ok());
}

}  // namespace
}  // namespace comments::client
