// GetErrorDetails: the google.rpc details of a status as plain data.
#include "client/lib/call_support.h"
#include "client/lib/error_details.h"
#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "gtest/gtest.h"
#include "service/api/status_mapping.h"
#include "service/domain/error.h"

namespace comments::client {
namespace {

using ::testing::ElementsAre;

// A server's error as the client receives it.
absl::Status Received(const absl::Status& server_error) {
  return FromRpcStatus(api::ToRpcStatus(server_error));
}

TEST(ErrorDetailsTest, BadRequestAndErrorInfo) {
  absl::Status status = Received(domain::InvalidArgumentError(
      domain::ErrorReason::kInvalidComment,
      {{"comment.author_email", "must be a valid email"},
       {"comment.body", "is required"}}));
  ErrorDetails details = GetErrorDetails(status);
  EXPECT_THAT(details.field_violations,
              ElementsAre(FieldViolation{"comment.author_email",
                                         "must be a valid email"},
                          FieldViolation{"comment.body", "is required"}));
  EXPECT_EQ(details.reason, "INVALID_COMMENT");
  EXPECT_EQ(details.reason_value, v1::INVALID_COMMENT);
  EXPECT_EQ(details.domain, "comments.v1");
  EXPECT_FALSE(details.retry_delay.has_value());
}

TEST(ErrorDetailsTest, RetryDelay) {
  absl::Status status = Received(domain::WithRetryDelay(
      domain::WithReason(absl::ResourceExhaustedError("slow down"),
                         domain::ErrorReason::kRateLimited),
      absl::Milliseconds(12500)));
  ErrorDetails details = GetErrorDetails(status);
  ASSERT_TRUE(details.retry_delay.has_value());
  EXPECT_EQ(*details.retry_delay, absl::Milliseconds(12500));
  EXPECT_EQ(details.reason, "RATE_LIMITED");
  EXPECT_EQ(details.reason_value, v1::RATE_LIMITED);
  EXPECT_TRUE(details.field_violations.empty());
}

TEST(ErrorDetailsTest, NothingForPlainOrOkStatuses) {
  for (const absl::Status& status :
       {absl::OkStatus(), absl::NotFoundError("comment not found")}) {
    ErrorDetails details = GetErrorDetails(status);
    EXPECT_TRUE(details.field_violations.empty());
    EXPECT_EQ(details.reason, "");
    EXPECT_EQ(details.domain, "");
    EXPECT_EQ(details.reason_value, v1::ERROR_REASON_UNSPECIFIED);
    EXPECT_FALSE(details.retry_delay.has_value());
  }
}

TEST(ErrorDetailsTest, AReasonNotInTheContractHasNoEnumValue) {
  google::rpc::Status rpc;
  rpc.set_code(static_cast<int>(absl::StatusCode::kAborted));
  google::rpc::ErrorInfo info;
  info.set_reason("SOMETHING_NEWER");
  info.set_domain("comments.v1");
  rpc.add_details()->PackFrom(info);
  info.set_reason("STALE_ETAG");
  info.set_domain("other.example");
  google::rpc::Status foreign = rpc;
  foreign.mutable_details(0)->PackFrom(info);
  for (const google::rpc::Status& status : {rpc, foreign}) {
    const ErrorDetails details = GetErrorDetails(FromRpcStatus(status));
    EXPECT_FALSE(details.reason.empty());
    EXPECT_EQ(details.reason_value, v1::ERROR_REASON_UNSPECIFIED);
  }
}

}  // namespace
}  // namespace comments::client
