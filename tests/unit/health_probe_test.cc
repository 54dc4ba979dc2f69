#include "client/probe/health_probe.h"

#include "gtest/gtest.h"

namespace comments::client {
namespace {

using grpc::health::v1::HealthCheckResponse;

HealthCheckResponse WithStatus(HealthCheckResponse::ServingStatus status) {
  HealthCheckResponse response;
  response.set_status(status);
  return response;
}

TEST(InterpretHealthCheckTest, ServingIsSuccess) {
  const ProbeResult result = InterpretHealthCheck(
      grpc::Status::OK, WithStatus(HealthCheckResponse::SERVING));
  EXPECT_EQ(result.exit, kProbeServing);
  EXPECT_EQ(result.message, "status: SERVING");
}

TEST(InterpretHealthCheckTest, EveryOtherServingStatusIsNotServing) {
  for (const auto status :
       {HealthCheckResponse::NOT_SERVING, HealthCheckResponse::UNKNOWN,
        HealthCheckResponse::SERVICE_UNKNOWN}) {
    const ProbeResult result =
        InterpretHealthCheck(grpc::Status::OK, WithStatus(status));
    EXPECT_EQ(result.exit, kProbeNotServing) << status;
    EXPECT_EQ(result.message,
              "status: " + HealthCheckResponse::ServingStatus_Name(status));
  }
}

TEST(InterpretHealthCheckTest, NoAnswerIsConnectionFailure) {
  const ProbeResult unavailable = InterpretHealthCheck(
      grpc::Status(grpc::StatusCode::UNAVAILABLE, "connection refused"), {});
  EXPECT_EQ(unavailable.exit, kProbeConnectionFailure);
  EXPECT_EQ(unavailable.message, "error: UNAVAILABLE");

  const ProbeResult deadline = InterpretHealthCheck(
      grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED, "slow"), {});
  EXPECT_EQ(deadline.exit, kProbeConnectionFailure);
  EXPECT_EQ(deadline.message, "error: DEADLINE_EXCEEDED");
}

TEST(InterpretHealthCheckTest, ServerErrorIsRpcFailureWithoutItsMessage) {
  const ProbeResult result = InterpretHealthCheck(
      grpc::Status(grpc::StatusCode::NOT_FOUND, "unknown service x.Y"),
      WithStatus(HealthCheckResponse::SERVING));
  EXPECT_EQ(result.exit, kProbeRpcFailure);
  EXPECT_EQ(result.message, "error: NOT_FOUND");

  EXPECT_EQ(InterpretHealthCheck(
                grpc::Status(grpc::StatusCode::UNIMPLEMENTED, ""), {})
                .exit,
            kProbeRpcFailure);
}

TEST(ProbeAddressForListenTest, WildcardHostsBecomeLoopback) {
  EXPECT_EQ(ProbeAddressForListen("0.0.0.0:50051"), "127.0.0.1:50051");
  EXPECT_EQ(ProbeAddressForListen(":7000"), "127.0.0.1:7000");
  EXPECT_EQ(ProbeAddressForListen("*:7000"), "127.0.0.1:7000");
  EXPECT_EQ(ProbeAddressForListen("[::]:50051"), "[::1]:50051");
}

TEST(ProbeAddressForListenTest, SpecificHostsAreKept) {
  EXPECT_EQ(ProbeAddressForListen("127.0.0.1:50051"), "127.0.0.1:50051");
  EXPECT_EQ(ProbeAddressForListen("[::1]:6000"), "[::1]:6000");
  EXPECT_EQ(ProbeAddressForListen("comments:50051"), "comments:50051");
  EXPECT_EQ(ProbeAddressForListen("unix:/run/comments.sock"),
            "unix:/run/comments.sock");
}

}  // namespace
}  // namespace comments::client
