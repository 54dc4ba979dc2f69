// The domain's typed errors: every fact survives the trip through the
// status, and the builders keep what they do not set.
#include "service/domain/error.h"

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/cord.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace comments::domain {
namespace {

using ::testing::ElementsAre;

ErrorFacts EveryFact() {
  ErrorFacts facts;
  facts.reason = ErrorReason::kRateLimited;
  facts.field_violations = {
      {"comment.author_name", "is required"},
      {"comment.body", "must be valid UTF-8 \xe2\x9c\x93"}};
  facts.retry_delay = absl::Milliseconds(2500);
  facts.quota =
      QuotaViolation{QuotaSubject::kClientNetwork, absl::Seconds(15), 5, 1.5};
  return facts;
}

TEST(ErrorTest, EveryFactRoundTrips) {
  const absl::Status status =
      WithFacts(absl::ResourceExhaustedError("slow down"), EveryFact());
  EXPECT_EQ(status.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(status.message(), "slow down");
  const ErrorFacts facts = GetErrorFacts(status);
  EXPECT_EQ(facts.reason, ErrorReason::kRateLimited);
  EXPECT_THAT(facts.field_violations,
              ElementsAre(FieldViolation{"comment.author_name", "is required"},
                          FieldViolation{"comment.body",
                                         "must be valid UTF-8 \xe2\x9c\x93"}));
  EXPECT_EQ(facts.retry_delay, absl::Milliseconds(2500));
  ASSERT_TRUE(facts.quota.has_value());
  EXPECT_EQ(facts.quota->subject, QuotaSubject::kClientNetwork);
  EXPECT_EQ(facts.quota->min_interval, absl::Seconds(15));
  EXPECT_EQ(facts.quota->burst, 5);
  EXPECT_EQ(facts.quota->refill_per_minute, 1.5);
  EXPECT_EQ(facts, EveryFact());
}

TEST(ErrorTest, EveryReasonRoundTrips) {
  for (ErrorReason reason : kAllErrorReasons) {
    EXPECT_EQ(GetErrorFacts(WithReason(absl::AbortedError("x"), reason)).reason,
              reason)
        << ErrorReasonName(reason);
  }
}

TEST(ErrorTest, NoFactsOnAPlainOrOkStatus) {
  EXPECT_EQ(GetErrorFacts(absl::InternalError("boom")), ErrorFacts());
  EXPECT_EQ(GetErrorFacts(WithFacts(absl::OkStatus(), EveryFact())),
            ErrorFacts());
  EXPECT_TRUE(WithReason(absl::OkStatus(), ErrorReason::kStaleEtag).ok());
}

TEST(ErrorTest, AForeignPayloadUnderTheKeyCarriesNoFacts) {
  absl::Status status = WithFacts(absl::AbortedError("x"), EveryFact());
  std::vector<std::string> keys;
  status.ForEachPayload([&keys](absl::string_view key, const absl::Cord&) {
    keys.emplace_back(key);
  });
  ASSERT_EQ(keys.size(), 1u);
  for (const char* foreign :
       {"{\"reason\": \"not a number\"}", "[1, 2]",
        "{\"violations\": [[\"only a field\"]]}", "not json"}) {
    status.SetPayload(keys[0], absl::Cord(foreign));
    EXPECT_EQ(GetErrorFacts(status), ErrorFacts()) << foreign;
  }
}

TEST(ErrorTest, InvalidArgumentListsEveryViolationInOrder) {
  const absl::Status status = InvalidArgumentError(
      ErrorReason::kInvalidComment, {{"parent", "is required"},
                                     {"comment.body", "is required"},
                                     {"request_id", "must be a UUID"}});
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(),
            "invalid request: parent is required; comment.body is required; "
            "request_id must be a UUID");
  const ErrorFacts facts = GetErrorFacts(status);
  EXPECT_EQ(facts.reason, ErrorReason::kInvalidComment);
  EXPECT_THAT(facts.field_violations,
              ElementsAre(FieldViolation{"parent", "is required"},
                          FieldViolation{"comment.body", "is required"},
                          FieldViolation{"request_id", "must be a UUID"}));
  EXPECT_FALSE(facts.retry_delay.has_value());
  EXPECT_FALSE(facts.quota.has_value());
}

TEST(ErrorTest, BuildersKeepCodeMessageAndTheOtherFacts) {
  const absl::Status status = WithReason(
      WithRetryDelay(InvalidArgumentError(ErrorReason::kInvalidComment,
                                          {{"comment.body", "too short"}}),
                     absl::Seconds(1)),
      ErrorReason::kInvalidUtf8);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "invalid request: comment.body too short");
  const ErrorFacts facts = GetErrorFacts(status);
  EXPECT_EQ(facts.reason, ErrorReason::kInvalidUtf8);
  EXPECT_THAT(facts.field_violations,
              ElementsAre(FieldViolation{"comment.body", "too short"}));
  EXPECT_EQ(facts.retry_delay, absl::Seconds(1));
}

}  // namespace
}  // namespace comments::domain
