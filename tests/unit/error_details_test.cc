#include "service/common/error_details.h"

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/cord.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"

namespace comments {
namespace {

TEST(ErrorDetailsTest, InvalidArgumentCarriesEveryViolationInOrder) {
  const absl::Status status = InvalidArgumentError(
      "INVALID_COMMENT", {{"comment.author_name", "is required"},
                          {"comment.body", "must be valid UTF-8"},
                          {"request_id", "must be a UUID"}});
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);

  const std::optional<google::rpc::BadRequest> bad_request =
      GetBadRequest(status);
  ASSERT_TRUE(bad_request.has_value());
  ASSERT_EQ(bad_request->field_violations_size(), 3);
  EXPECT_EQ(bad_request->field_violations(0).field(), "comment.author_name");
  EXPECT_EQ(bad_request->field_violations(0).description(), "is required");
  EXPECT_EQ(bad_request->field_violations(1).field(), "comment.body");
  EXPECT_EQ(bad_request->field_violations(1).description(),
            "must be valid UTF-8");
  EXPECT_EQ(bad_request->field_violations(2).field(), "request_id");
  EXPECT_EQ(bad_request->field_violations(2).description(), "must be a UUID");
}

TEST(ErrorDetailsTest, InvalidArgumentCarriesReasonInErrorInfo) {
  const absl::Status status =
      InvalidArgumentError("INVALID_PAGE_TOKEN", {{"page_token", "bad"}});
  const std::optional<google::rpc::ErrorInfo> info = GetErrorInfo(status);
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->reason(), "INVALID_PAGE_TOKEN");
  EXPECT_EQ(info->domain(), kErrorDomain);
  EXPECT_EQ(info->domain(), "comments.v1");
}

TEST(ErrorDetailsTest, InvalidArgumentMessageNamesEveryField) {
  const absl::Status status = InvalidArgumentError(
      "INVALID_COMMENT",
      {{"parent", "is required"}, {"comment.body", "is required"}});
  EXPECT_EQ(status.message(),
            "invalid request: parent is required; comment.body is required");
}

TEST(ErrorDetailsTest, WithErrorInfoKeepsCodeAndMessage) {
  const absl::Status status = WithErrorInfo(
      absl::FailedPreconditionError("not approved"), "PARENT_NOT_APPROVED");
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(status.message(), "not approved");
  const std::optional<google::rpc::ErrorInfo> info = GetErrorInfo(status);
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->reason(), "PARENT_NOT_APPROVED");
  EXPECT_EQ(info->domain(), kErrorDomain);
  EXPECT_FALSE(GetBadRequest(status).has_value());
}

TEST(ErrorDetailsTest, RetryDelayRoundTrips) {
  const absl::Status status = WithRetryDelay(
      absl::ResourceExhaustedError("slow down"), absl::Milliseconds(2500));
  EXPECT_EQ(status.code(), absl::StatusCode::kResourceExhausted);
  const std::optional<google::rpc::RetryInfo> info = GetRetryInfo(status);
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->retry_delay().seconds(), 2);
  EXPECT_EQ(info->retry_delay().nanos(), 500000000);
}

TEST(ErrorDetailsTest, RetryDelayOfWholeSeconds) {
  const std::optional<google::rpc::RetryInfo> info = GetRetryInfo(
      WithRetryDelay(absl::UnavailableError("down"), absl::Seconds(30)));
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->retry_delay().seconds(), 30);
  EXPECT_EQ(info->retry_delay().nanos(), 0);
}

TEST(ErrorDetailsTest, QuotaFailureIsAttached) {
  const absl::Status status =
      WithQuotaFailure(absl::ResourceExhaustedError("flood"), "client:1.2.3.4",
                       "too many comments");
  const auto payload = status.GetPayload(kQuotaFailureTypeUrl);
  ASSERT_TRUE(payload.has_value());
  google::rpc::QuotaFailure failure;
  ASSERT_TRUE(failure.ParseFromString(std::string(*payload)));
  ASSERT_EQ(failure.violations_size(), 1);
  EXPECT_EQ(failure.violations(0).subject(), "client:1.2.3.4");
  EXPECT_EQ(failure.violations(0).description(), "too many comments");
}

TEST(ErrorDetailsTest, ReadersReturnNulloptWhenAbsent) {
  const absl::Status status = absl::InternalError("boom");
  EXPECT_FALSE(GetBadRequest(status).has_value());
  EXPECT_FALSE(GetErrorInfo(status).has_value());
  EXPECT_FALSE(GetRetryInfo(status).has_value());
}

TEST(ErrorDetailsTest, DetailsAccumulateOnOneStatus) {
  const absl::Status status = WithRetryDelay(
      InvalidArgumentError("INVALID_COMMENT", {{"comment.body", "too short"}}),
      absl::Seconds(1));
  EXPECT_TRUE(GetBadRequest(status).has_value());
  EXPECT_TRUE(GetErrorInfo(status).has_value());
  EXPECT_TRUE(GetRetryInfo(status).has_value());
}

}  // namespace
}  // namespace comments
