// The periodic pruning of idle flood-control rows: what one prune asks
// for, what it forgets, how a failure is logged, and that the background
// task prunes when started and stops at once. Waits only for events.
#include "service/app/flood_row_pruner.h"

#include <string>

#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "service/common/clock.h"
#include "service/common/uuid.h"
#include "tests/support/fake_clock.h"
#include "tests/support/fake_comment_repository.h"
#include "tests/support/fake_submission_store.h"

namespace comments::app {
namespace {

// Long enough never to elapse during a test.
constexpr absl::Duration kNever = absl::Hours(1);

domain::FloodPolicy IntervalOnly() {
  domain::FloodPolicy flood;
  flood.min_interval = absl::Seconds(15);
  flood.bucket_burst = 0;
  return flood;
}

class FloodRowPrunerTest : public ::testing::Test {
 protected:
  FloodRowPrunerTest() : store_(&comments_) {}

  FloodRowPrunerOptions Options() const {
    FloodRowPrunerOptions options;
    options.flood = IntervalOnly();
    options.every = kNever;
    options.timeout = absl::Seconds(3);
    options.max_rows = 7;
    return options;
  }

  // Stores a comment that writes the limit row of `mailbox` at the clock's
  // current time.
  void Post(const std::string& mailbox) {
    storage::NewComment comment;
    comment.id = NewUuid();
    comment.thread = "article";
    storage::AdmissionCheck check;
    check.clock = &clock_;
    check.policy = IntervalOnly();
    check.mailbox = storage::LimitKey{mailbox, {}};
    comment.admission = check;
    ASSERT_TRUE(comments_.Create(comment, absl::InfiniteFuture()).ok());
  }

  testing::FakeClock clock_;
  testing::FakeCommentRepository comments_;
  testing::FakeSubmissionStore store_;
};

TEST_F(FloodRowPrunerTest, OnePruneAsksForRowsIdleSinceTheyStoppedLimiting) {
  FloodRowPruner pruner(&store_, &clock_, Options());
  ASSERT_TRUE(pruner.RunOnce().ok());
  ASSERT_EQ(store_.prunes().size(), 1u);
  const testing::FakeSubmissionStore::Prune prune = store_.prunes()[0];
  EXPECT_EQ(prune.idle_before,
            clock_.Now() - domain::ForgetAfter(IntervalOnly()));
  EXPECT_EQ(prune.max_rows, 7);
  // Its own deadline, not a caller's.
  EXPECT_EQ(prune.deadline, clock_.Now() + absl::Seconds(3));
}

TEST_F(FloodRowPrunerTest, ForgetsIdleRowsAndKeepsRecentOnes) {
  Post("idle");
  clock_.Advance(domain::ForgetAfter(IntervalOnly()) + absl::Seconds(1));
  Post("recent");
  ASSERT_EQ(comments_.limit_rows(), 2u);
  FloodRowPruner pruner(&store_, &clock_, Options());
  absl::StatusOr<int64_t> pruned = pruner.RunOnce();
  ASSERT_TRUE(pruned.ok()) << pruned.status();
  EXPECT_EQ(*pruned, 1);
  EXPECT_EQ(comments_.limit_rows(), 1u);
}

TEST_F(FloodRowPrunerTest, FailureIsReturnedAndLoggedByItsCodeOnly) {
  store_.FailPrunesWith(
      absl::UnavailableError("connection to ada@example.org lost"));
  FloodRowPruner pruner(&store_, &clock_, Options());
  ::testing::internal::CaptureStderr();
  absl::StatusOr<int64_t> pruned = pruner.RunOnce();
  const std::string logged = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(pruned.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(logged.find("flood-control pruning failed"), std::string::npos)
      << logged;
  EXPECT_NE(logged.find("UNAVAILABLE"), std::string::npos) << logged;
  EXPECT_EQ(logged.find("ada@example.org"), std::string::npos) << logged;
}

TEST_F(FloodRowPrunerTest, StartPrunesAtOnceAndStopReturnsPromptly) {
  FloodRowPruner pruner(&store_, &clock_, Options());
  pruner.Start();
  EXPECT_TRUE(store_.WaitForPrunes(1, absl::Seconds(30)));
  const absl::Time before_stop = absl::Now();
  pruner.Stop();
  // The next prune is an hour away: Stop must not wait for it.
  EXPECT_LT(absl::Now() - before_stop, absl::Seconds(5));
  EXPECT_EQ(store_.prunes().size(), 1u);
  pruner.Stop();  // idempotent
}

TEST_F(FloodRowPrunerTest, PrunesAgainEveryInterval) {
  FloodRowPrunerOptions options = Options();
  options.every = absl::ZeroDuration();
  FloodRowPruner pruner(&store_, &clock_, options);
  pruner.Start();
  EXPECT_TRUE(store_.WaitForPrunes(3, absl::Seconds(30)));
  pruner.Stop();
}

TEST_F(FloodRowPrunerTest, KeepsRunningAfterAFailure) {
  store_.FailPrunesWith(absl::UnavailableError("database down"));
  FloodRowPrunerOptions options = Options();
  options.every = absl::ZeroDuration();
  FloodRowPruner pruner(&store_, &clock_, options);
  ::testing::internal::CaptureStderr();
  pruner.Start();
  EXPECT_TRUE(store_.WaitForPrunes(2, absl::Seconds(30)));
  pruner.Stop();
  ::testing::internal::GetCapturedStderr();
}

TEST_F(FloodRowPrunerTest, StopWithoutStartAndDestructionAreSafe) {
  {
    FloodRowPruner never_started(&store_, &clock_, Options());
    never_started.Stop();
  }
  {
    FloodRowPruner started(&store_, &clock_, Options());
    started.Start();
    EXPECT_TRUE(store_.WaitForPrunes(1, absl::Seconds(30)));
  }  // The destructor stops the thread.
  EXPECT_EQ(store_.prunes().size(), 1u);
}

}  // namespace
}  // namespace comments::app
