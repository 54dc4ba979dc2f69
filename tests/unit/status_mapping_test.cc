// The API layer turns each typed fact of a status into its google.rpc
// detail, as the wire shows it, and words the refusals storage reports by
// facts alone.
#include "service/api/status_mapping.h"

#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"
#include "service/api/error_text.h"
#include "service/domain/error.h"

namespace comments::api {
namespace {

using domain::ErrorReason;

domain::QuotaViolation NetworkQuota() {
  return {domain::QuotaSubject::kClientNetwork, absl::Seconds(15), 5, 1};
}

TEST(StatusMappingTest, FieldViolationsBecomeBadRequestInOrder) {
  const absl::Status status = domain::InvalidArgumentError(
      ErrorReason::kInvalidComment, {{"comment.author_name", "is required"},
                                     {"comment.body", "must be valid UTF-8"},
                                     {"request_id", "must be a UUID"}});
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

TEST(StatusMappingTest, EveryReasonBecomesErrorInfoWithItsContractName) {
  for (ErrorReason reason : domain::kAllErrorReasons) {
    if (reason == ErrorReason::kUnspecified) continue;
    const std::optional<google::rpc::ErrorInfo> info = GetErrorInfo(
        domain::WithReason(absl::FailedPreconditionError("x"), reason));
    ASSERT_TRUE(info.has_value());
    EXPECT_EQ(info->reason(), domain::ErrorReasonName(reason));
    EXPECT_EQ(info->domain(), "comments.v1");
    EXPECT_TRUE(info->metadata().empty());
  }
  const std::optional<google::rpc::ErrorInfo> page_token =
      GetErrorInfo(domain::InvalidArgumentError(ErrorReason::kInvalidPageToken,
                                                {{"page_token", "bad"}}));
  ASSERT_TRUE(page_token.has_value());
  EXPECT_EQ(page_token->reason(), "INVALID_PAGE_TOKEN");
}

TEST(StatusMappingTest, RetryDelayBecomesRetryInfo) {
  const std::optional<google::rpc::RetryInfo> info =
      GetRetryInfo(domain::WithRetryDelay(
          absl::ResourceExhaustedError("slow down"), absl::Milliseconds(2500)));
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->retry_delay().seconds(), 2);
  EXPECT_EQ(info->retry_delay().nanos(), 500000000);
  const std::optional<google::rpc::RetryInfo> whole =
      GetRetryInfo(domain::WithRetryDelay(absl::UnavailableError("down"),
                                          absl::Seconds(30)));
  ASSERT_TRUE(whole.has_value());
  EXPECT_EQ(whole->retry_delay().seconds(), 30);
  EXPECT_EQ(whole->retry_delay().nanos(), 0);
}

TEST(StatusMappingTest, QuotaBecomesQuotaFailureWordedFromTheLimits) {
  domain::ErrorFacts facts;
  facts.quota = NetworkQuota();
  const std::optional<google::rpc::QuotaFailure> failure = GetQuotaFailure(
      domain::WithFacts(absl::ResourceExhaustedError(""), facts));
  ASSERT_TRUE(failure.has_value());
  ASSERT_EQ(failure->violations_size(), 1);
  EXPECT_EQ(failure->violations(0).subject(), "client_ip");
  EXPECT_EQ(failure->violations(0).description(),
            "at most one comment every 15s; at most 5 comments in a burst, "
            "then 1 per minute");
}

TEST(StatusMappingTest, QuotaDescriptionNamesOnlyTheLimitsThatAreOn) {
  domain::QuotaViolation interval_only = NetworkQuota();
  interval_only.burst = 0;
  EXPECT_EQ(DescribeQuota(interval_only), "at most one comment every 15s");
  domain::QuotaViolation bucket_only = NetworkQuota();
  bucket_only.min_interval = absl::ZeroDuration();
  bucket_only.refill_per_minute = 0.5;
  EXPECT_EQ(DescribeQuota(bucket_only),
            "at most 5 comments in a burst, then 0.5 per minute");
}

TEST(StatusMappingTest, NoDetailsWithoutFacts) {
  const absl::Status status = absl::InternalError("boom");
  EXPECT_FALSE(GetBadRequest(status).has_value());
  EXPECT_FALSE(GetErrorInfo(status).has_value());
  EXPECT_FALSE(GetRetryInfo(status).has_value());
  EXPECT_FALSE(GetQuotaFailure(status).has_value());
  const google::rpc::Status rpc = ToRpcStatus(status);
  EXPECT_EQ(rpc.code(), static_cast<int>(absl::StatusCode::kInternal));
  EXPECT_EQ(rpc.message(), "boom");
  EXPECT_EQ(rpc.details_size(), 0);
  EXPECT_EQ(ToRpcStatus(absl::OkStatus()).code(), 0);
  EXPECT_TRUE(ToGrpcStatus(absl::OkStatus()).ok());
}

TEST(StatusMappingTest, AStatusWithEveryFactCarriesEveryDetailOnTheWire) {
  domain::ErrorFacts facts;
  facts.reason = ErrorReason::kRateLimited;
  facts.field_violations = {{"comment.body", "is required"}};
  facts.retry_delay = absl::Seconds(3);
  facts.quota = NetworkQuota();
  const grpc::Status wire =
      ToGrpcStatus(domain::WithFacts(absl::ResourceExhaustedError(""), facts));
  EXPECT_EQ(wire.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  google::rpc::Status details;
  ASSERT_TRUE(details.ParseFromString(wire.error_details()));
  EXPECT_EQ(details.code(), static_cast<int>(grpc::RESOURCE_EXHAUSTED));
  EXPECT_EQ(details.message(), wire.error_message());
  ASSERT_EQ(details.details_size(), 4);
  google::rpc::BadRequest bad_request;
  google::rpc::ErrorInfo info;
  google::rpc::RetryInfo retry;
  google::rpc::QuotaFailure quota;
  ASSERT_TRUE(details.details(0).UnpackTo(&bad_request));
  ASSERT_TRUE(details.details(1).UnpackTo(&info));
  ASSERT_TRUE(details.details(2).UnpackTo(&retry));
  ASSERT_TRUE(details.details(3).UnpackTo(&quota));
  EXPECT_EQ(details.details(1).type_url(),
            "type.googleapis.com/google.rpc.ErrorInfo");
  EXPECT_EQ(bad_request.field_violations(0).field(), "comment.body");
  EXPECT_EQ(info.reason(), "RATE_LIMITED");
  EXPECT_EQ(info.domain(), "comments.v1");
  EXPECT_EQ(retry.retry_delay().seconds(), 3);
  EXPECT_EQ(quota.violations(0).subject(), "client_ip");
}

TEST(StatusMappingTest, StorageRefusalsAreWordedHere) {
  struct Case {
    ErrorReason reason;
    const char* message;
  };
  for (const Case& c : {
           Case{ErrorReason::kRateLimited,
                "too many comments; wait before submitting again"},
           Case{ErrorReason::kRequestIdReused,
                "request_id was already used for a different comment"},
           Case{ErrorReason::kModeratorExists,
                "a moderator with this name exists or existed; names are "
                "never reused"},
       }) {
    const absl::Status status = domain::WithReason(
        absl::Status(absl::StatusCode::kAlreadyExists, ""), c.reason);
    EXPECT_EQ(CallerMessage(status), c.message);
    EXPECT_EQ(ToRpcStatus(status).message(), c.message);
    EXPECT_EQ(ToGrpcStatus(status).error_message(), c.message);
  }
  // A message given below the API is kept as it is.
  EXPECT_EQ(CallerMessage(domain::WithReason(absl::AbortedError("changed"),
                                             ErrorReason::kRequestIdReused)),
            "changed");
}

}  // namespace
}  // namespace comments::api
