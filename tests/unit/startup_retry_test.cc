#include "service/startup/startup_retry.h"

#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/fake_clock.h"

namespace comments::startup {
namespace {

using ::testing::ElementsAre;

// Plays back `results` one attempt at a time and records the waits, which
// advance the fake clock instead of sleeping.
class RetryTest : public ::testing::Test {
 protected:
  absl::StatusOr<int> Run(std::vector<absl::StatusOr<int>> results,
                          const RetryPolicy& policy) {
    return RetryWhileUnavailable(
        [this, results] {
          return results[std::min<size_t>(attempts_++, results.size() - 1)];
        },
        policy, clock_,
        [this](absl::Duration wait) {
          waits_.push_back(wait);
          clock_.Advance(wait);
        },
        [this](const absl::Status& status) { heard_.push_back(status); });
  }

  testing::FakeClock clock_;
  size_t attempts_ = 0;
  std::vector<absl::Duration> waits_;
  std::vector<absl::Status> heard_;
};

TEST_F(RetryTest, FirstSuccessIsReturnedWithoutWaiting) {
  absl::StatusOr<int> result = Run({3}, {});
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(*result, 3);
  EXPECT_EQ(attempts_, 1u);
  EXPECT_TRUE(waits_.empty());
}

TEST_F(RetryTest, WaitsOutUnavailableWithDoublingBackoffUpToTheCap) {
  const absl::Status down = absl::UnavailableError("starting");
  RetryPolicy policy;
  policy.first_backoff = absl::Milliseconds(100);
  policy.max_backoff = absl::Milliseconds(300);
  absl::StatusOr<int> result = Run({down, down, down, down, 2}, policy);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(*result, 2);
  EXPECT_THAT(waits_,
              ElementsAre(absl::Milliseconds(100), absl::Milliseconds(200),
                          absl::Milliseconds(300), absl::Milliseconds(300)));
  EXPECT_EQ(heard_.size(), 4u);
  EXPECT_EQ(heard_[0], down);
}

TEST_F(RetryTest, OtherErrorsAreReturnedAtOnce) {
  const absl::Status denied =
      absl::PermissionDeniedError("password authentication failed");
  absl::StatusOr<int> result =
      Run({absl::UnavailableError("starting"), denied, 1}, {});
  EXPECT_EQ(result.status(), denied);
  EXPECT_EQ(attempts_, 2u);
  EXPECT_EQ(waits_.size(), 1u);
}

TEST_F(RetryTest, GivesUpWhenTheNextAttemptWouldStartPastTheLimit) {
  RetryPolicy policy;
  policy.give_up_after = absl::Milliseconds(350);
  policy.first_backoff = absl::Milliseconds(100);
  policy.max_backoff = absl::Seconds(2);
  absl::StatusOr<int> result = Run({absl::UnavailableError("down")}, policy);
  EXPECT_EQ(result.status().code(), absl::StatusCode::kUnavailable);
  // 100 + 200 ms fit in 350; a further 400 ms would not.
  EXPECT_THAT(waits_,
              ElementsAre(absl::Milliseconds(100), absl::Milliseconds(200)));
  EXPECT_EQ(attempts_, 3u);
}

TEST_F(RetryTest, NoTimeMeansOneAttempt) {
  RetryPolicy policy;
  policy.give_up_after = absl::ZeroDuration();
  absl::StatusOr<int> result = Run({absl::UnavailableError("down")}, policy);
  EXPECT_EQ(result.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(attempts_, 1u);
  EXPECT_TRUE(heard_.empty());
}

}  // namespace
}  // namespace comments::startup
