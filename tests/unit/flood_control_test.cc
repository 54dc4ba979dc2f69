// Flood-control arithmetic at its boundaries: the interval (14 s refused,
// 15 s accepted), the token bucket's burst and refill, and clock skew.
#include "service/domain/flood_control.h"

#include "gtest/gtest.h"

namespace comments::domain {
namespace {

const absl::Time kStart = absl::FromUnixSeconds(1700000000);

FloodPolicy IntervalOnly() {
  FloodPolicy policy;
  policy.min_interval = absl::Seconds(15);
  policy.bucket_burst = 0;
  return policy;
}

TEST(FloodControlTest, DefaultsAreFifteenSecondsAndABucketOfFive) {
  FloodPolicy policy;
  EXPECT_EQ(policy.min_interval, absl::Seconds(15));
  EXPECT_EQ(policy.bucket_burst, 5);
  EXPECT_DOUBLE_EQ(policy.bucket_refill_per_minute, 1.0);
  EXPECT_EQ(policy.ipv4_prefix_length, 32);
  EXPECT_EQ(policy.ipv6_prefix_length, 64);
}

TEST(FloodControlTest, StricterOfTwoStatesKeepsTheLaterTimeAndFewerTokens) {
  const LimitState never;
  const LimitState early{kStart, 4};
  const LimitState late{kStart + absl::Seconds(10), 3.5};
  EXPECT_EQ(Stricter(never, early).last_accepted, kStart);
  EXPECT_DOUBLE_EQ(Stricter(early, never).tokens, 4);
  EXPECT_FALSE(Stricter(never, never).last_accepted.has_value());
  const LimitState both = Stricter(early, {kStart + absl::Seconds(10), 4.5});
  EXPECT_EQ(both.last_accepted, kStart + absl::Seconds(10));
  EXPECT_DOUBLE_EQ(both.tokens, 4);
  EXPECT_EQ(Stricter(late, early).last_accepted, late.last_accepted);
  EXPECT_DOUBLE_EQ(Stricter(late, early).tokens, 3.5);
  // What a rotation must not do: forget a sender limited under the old key.
  EXPECT_FALSE(CheckLimit(IntervalOnly(), Stricter(never, late), false,
                          kStart + absl::Seconds(20))
                   .allowed);
}

TEST(FloodControlTest, FirstSubmissionOfAKeyIsAllowed) {
  LimitVerdict verdict = CheckLimit(FloodPolicy(), {}, true, kStart);
  ASSERT_TRUE(verdict.allowed);
  EXPECT_EQ(verdict.next.last_accepted, kStart);
  EXPECT_DOUBLE_EQ(verdict.next.tokens, 4);
}

TEST(FloodControlTest, FourteenSecondsIsRefusedFifteenIsAllowed) {
  const LimitState after_one{kStart, 0};
  LimitVerdict at14 =
      CheckLimit(IntervalOnly(), after_one, false, kStart + absl::Seconds(14));
  EXPECT_FALSE(at14.allowed);
  EXPECT_EQ(at14.retry_after, absl::Seconds(1));

  LimitVerdict just_before =
      CheckLimit(IntervalOnly(), after_one, false,
                 kStart + absl::Seconds(15) - absl::Microseconds(1));
  EXPECT_FALSE(just_before.allowed);
  EXPECT_EQ(just_before.retry_after, absl::Microseconds(1));

  LimitVerdict at15 =
      CheckLimit(IntervalOnly(), after_one, false, kStart + absl::Seconds(15));
  ASSERT_TRUE(at15.allowed);
  EXPECT_EQ(at15.next.last_accepted, kStart + absl::Seconds(15));
}

TEST(FloodControlTest, ZeroIntervalTurnsTheIntervalOff) {
  FloodPolicy policy = IntervalOnly();
  policy.min_interval = absl::ZeroDuration();
  EXPECT_TRUE(CheckLimit(policy, {kStart, 0}, false, kStart).allowed);
}

TEST(FloodControlTest, BucketAllowsItsBurstThenRefills) {
  FloodPolicy policy;
  policy.min_interval = absl::ZeroDuration();
  policy.bucket_burst = 3;
  policy.bucket_refill_per_minute = 2;  // one token every 30 s
  LimitState state;
  for (int i = 0; i < 3; ++i) {
    LimitVerdict verdict = CheckLimit(policy, state, true, kStart);
    ASSERT_TRUE(verdict.allowed) << i;
    state = verdict.next;
  }
  EXPECT_DOUBLE_EQ(state.tokens, 0);
  LimitVerdict empty = CheckLimit(policy, state, true, kStart);
  EXPECT_FALSE(empty.allowed);
  EXPECT_EQ(empty.retry_after, absl::Seconds(30));

  EXPECT_FALSE(
      CheckLimit(policy, state, true, kStart + absl::Seconds(29)).allowed);
  LimitVerdict refilled =
      CheckLimit(policy, state, true, kStart + absl::Seconds(30));
  ASSERT_TRUE(refilled.allowed);
  EXPECT_NEAR(refilled.next.tokens, 0, 1e-9);

  // The bucket never holds more than its burst, however long it rested.
  LimitVerdict rested =
      CheckLimit(policy, state, true, kStart + absl::Hours(5));
  ASSERT_TRUE(rested.allowed);
  EXPECT_DOUBLE_EQ(rested.next.tokens, 2);
}

TEST(FloodControlTest, BucketAppliesOnlyToKeysThatAskForIt) {
  FloodPolicy policy;
  policy.min_interval = absl::ZeroDuration();
  policy.bucket_burst = 1;
  const LimitState drained{kStart, 0};
  EXPECT_FALSE(CheckLimit(policy, drained, true, kStart).allowed);
  EXPECT_TRUE(CheckLimit(policy, drained, false, kStart).allowed);
}

TEST(FloodControlTest, RetryAfterIsTheLongerOfIntervalAndBucket) {
  FloodPolicy policy;
  policy.min_interval = absl::Seconds(15);
  policy.bucket_burst = 2;
  policy.bucket_refill_per_minute = 1;
  // Bucket empty at kStart: a token in 60 s; interval over in 15 s.
  LimitVerdict verdict =
      CheckLimit(policy, {kStart, 0}, true, kStart + absl::Seconds(5));
  EXPECT_FALSE(verdict.allowed);
  EXPECT_EQ(verdict.retry_after, absl::Seconds(55));
}

TEST(FloodControlTest, AClockBehindTheStoredTimeCountsAsNoTimePassed) {
  const LimitState state{kStart, 0};
  LimitVerdict verdict =
      CheckLimit(IntervalOnly(), state, false, kStart - absl::Seconds(30));
  EXPECT_FALSE(verdict.allowed);
  EXPECT_EQ(verdict.retry_after, absl::Seconds(15));

  FloodPolicy policy;
  policy.min_interval = absl::ZeroDuration();
  LimitVerdict allowed =
      CheckLimit(policy, {kStart, 3}, true, kStart - absl::Seconds(30));
  ASSERT_TRUE(allowed.allowed);
  // The stored time never goes backwards.
  EXPECT_EQ(allowed.next.last_accepted, kStart);
  EXPECT_DOUBLE_EQ(allowed.next.tokens, 2);
}

TEST(FloodControlTest, ForgetAfterCoversIntervalAndFullRefill) {
  FloodPolicy policy;  // 15 s; 5 tokens at 1 a minute
  EXPECT_EQ(ForgetAfter(policy), absl::Minutes(5));
  policy.bucket_burst = 0;
  EXPECT_EQ(ForgetAfter(policy), absl::Seconds(15));
}

}  // namespace
}  // namespace comments::domain
