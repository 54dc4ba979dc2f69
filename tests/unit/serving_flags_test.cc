#include "service/startup/serving_flags.h"

#include "absl/flags/declare.h"
#include "absl/flags/flag.h"
#include "absl/flags/reflection.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "service/startup/flag_checks.h"

ABSL_DECLARE_FLAG(int, db_pool_size);
ABSL_DECLARE_FLAG(int, max_watches_per_moderator);
ABSL_DECLARE_FLAG(int, flood_prune_interval_ms);
ABSL_DECLARE_FLAG(int, shutdown_grace_ms);

namespace comments::startup {
namespace {

using ::testing::HasSubstr;

class ServingFlagsTest : public ::testing::Test {
 private:
  // Every test starts from the defaults and leaves them behind.
  absl::FlagSaver saver_;
};

TEST_F(ServingFlagsTest, DefaultsAreTheDocumentedOnes) {
  auto options = ServingOptionsFromFlags();
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_EQ(options->db_pool_size, 8);
  EXPECT_EQ(options->max_receive_message_bytes, 64 * 1024);
  EXPECT_EQ(options->max_call_timeout, absl::Seconds(10));
  EXPECT_EQ(options->shutdown_grace, absl::Seconds(4));
  EXPECT_EQ(options->max_watches_per_moderator, 4);
  EXPECT_EQ(options->flood_prune_interval, absl::Minutes(1));
  EXPECT_EQ(options->queue_metrics_interval, absl::Seconds(5));
}

TEST_F(ServingFlagsTest, FlagsBecomeDurations) {
  absl::SetFlag(&FLAGS_flood_prune_interval_ms, 250);
  absl::SetFlag(&FLAGS_shutdown_grace_ms, 0);
  auto options = ServingOptionsFromFlags();
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_EQ(options->flood_prune_interval, absl::Milliseconds(250));
  EXPECT_EQ(options->shutdown_grace, absl::ZeroDuration());
}

TEST_F(ServingFlagsTest, ValueBelowItsMinimumIsRefusedByName) {
  absl::SetFlag(&FLAGS_flood_prune_interval_ms, 0);
  auto options = ServingOptionsFromFlags();
  ASSERT_EQ(options.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(options.status().message()),
              HasSubstr("bad --flood_prune_interval_ms=0"));
}

TEST_F(ServingFlagsTest, ZeroWatchesMeansNoLimitButNegativeIsRefused) {
  absl::SetFlag(&FLAGS_max_watches_per_moderator, 0);
  EXPECT_TRUE(ServingOptionsFromFlags().ok());
  absl::SetFlag(&FLAGS_max_watches_per_moderator, -1);
  EXPECT_THAT(std::string(ServingOptionsFromFlags().status().message()),
              HasSubstr("--max_watches_per_moderator must be 0 or more"));
}

TEST_F(ServingFlagsTest, PoolNeedsAConnection) {
  absl::SetFlag(&FLAGS_db_pool_size, 0);
  EXPECT_THAT(std::string(ServingOptionsFromFlags().status().message()),
              HasSubstr("--db_pool_size must be 1 or more"));
}

TEST(FlagChecksTest, FirstFlagBelowItsMinimumIsNamed) {
  const absl::Status status =
      CheckMinimums({{"a", 5, 1}, {"b", -2, 0}, {"c", 0, 1}});
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "bad --b=-2: --b must be 0 or more");
}

TEST(FlagChecksTest, ValuesAtTheirMinimumPass) {
  EXPECT_TRUE(CheckMinimums({{"a", 1, 1}, {"b", 0, 0}}).ok());
  EXPECT_TRUE(CheckMinimums({}).ok());
}

}  // namespace
}  // namespace comments::startup
