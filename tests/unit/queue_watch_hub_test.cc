// The fan-out of queue changes to watchers: filters, bounds, endings.
#include "service/api/queue_watch_hub.h"

#include <thread>

#include "gtest/gtest.h"
#include "service/common/error_details.h"

namespace comments::api {
namespace {

using Result = QueueWatchHub::Subscription::Result;

storage::QueueChange Change(const std::string& id, const std::string& thread) {
  storage::QueueChange change;
  change.kind = storage::QueueChange::Kind::kEntered;
  change.comment_id = id;
  change.thread = thread;
  change.state = domain::CommentState::kPending;
  change.actor = "auto";
  change.time = absl::FromUnixSeconds(1700000000);
  return change;
}

TEST(QueueWatchHubTest, RefusesWatchersUntilTheFeedListens) {
  QueueWatchHub hub;
  auto early = hub.Subscribe("");
  EXPECT_EQ(early.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_TRUE(GetRetryInfo(early.status()).has_value());
  hub.SetFeedAvailable(true);
  EXPECT_TRUE(hub.Subscribe("").ok());
}

TEST(QueueWatchHubTest, DeliversInOrderAndFiltersByThread) {
  QueueWatchHub hub;
  hub.SetFeedAvailable(true);
  auto all = hub.Subscribe("");
  auto one = hub.Subscribe("article-1");
  ASSERT_TRUE(all.ok());
  ASSERT_TRUE(one.ok());
  hub.Publish(Change("a", "article-1"));
  hub.Publish(Change("b", "article-2"));
  hub.Publish(Change("c", "article-1"));

  storage::QueueChange change;
  for (const char* id : {"a", "b", "c"}) {
    ASSERT_EQ((*all)->Next(absl::ZeroDuration(), &change), Result::kChange);
    EXPECT_EQ(change.comment_id, id);
  }
  EXPECT_EQ((*all)->Next(absl::ZeroDuration(), &change), Result::kTimeout);
  for (const char* id : {"a", "c"}) {
    ASSERT_EQ((*one)->Next(absl::ZeroDuration(), &change), Result::kChange);
    EXPECT_EQ(change.comment_id, id);
  }
  EXPECT_EQ((*one)->Next(absl::ZeroDuration(), &change), Result::kTimeout);
}

TEST(QueueWatchHubTest, AStalledWatcherIsEndedAndNeverBlocksOthers) {
  QueueWatchHub hub({/*queue_capacity=*/3});
  hub.SetFeedAvailable(true);
  auto stalled = hub.Subscribe("");
  auto reader = hub.Subscribe("");
  ASSERT_TRUE(stalled.ok());
  ASSERT_TRUE(reader.ok());
  storage::QueueChange change;
  // Publishing far more than the bound returns at once; the reader that
  // keeps up sees everything.
  for (int i = 0; i < 100; ++i) {
    hub.Publish(Change(std::to_string(i), "t"));
    ASSERT_EQ((*reader)->Next(absl::ZeroDuration(), &change), Result::kChange);
    EXPECT_EQ(change.comment_id, std::to_string(i));
  }
  EXPECT_EQ((*stalled)->Next(absl::ZeroDuration(), &change), Result::kEnded);
  EXPECT_EQ((*stalled)->status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(GetErrorInfo((*stalled)->status())->reason(), "WATCHER_TOO_SLOW");
}

TEST(QueueWatchHubTest, LosingTheFeedEndsEveryWatcherWithUnavailable) {
  QueueWatchHub hub;
  hub.SetFeedAvailable(true);
  auto watcher = hub.Subscribe("");
  ASSERT_TRUE(watcher.ok());
  hub.Publish(Change("before", "t"));
  hub.SetFeedAvailable(false);
  storage::QueueChange change;
  // What arrived before the loss is still delivered, then the end.
  ASSERT_EQ((*watcher)->Next(absl::ZeroDuration(), &change), Result::kChange);
  EXPECT_EQ(change.comment_id, "before");
  EXPECT_EQ((*watcher)->Next(absl::ZeroDuration(), &change), Result::kEnded);
  EXPECT_EQ((*watcher)->status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(hub.Subscribe("").status().code(), absl::StatusCode::kUnavailable);
  hub.SetFeedAvailable(true);
  EXPECT_TRUE(hub.Subscribe("").ok());
}

TEST(QueueWatchHubTest, ShutdownWakesAWaitingWatcherAndRefusesNewOnes) {
  QueueWatchHub hub;
  hub.SetFeedAvailable(true);
  auto watcher = hub.Subscribe("");
  ASSERT_TRUE(watcher.ok());
  Result result = Result::kTimeout;
  absl::Duration waited;
  std::thread waiting([&] {
    storage::QueueChange change;
    const absl::Time start = absl::Now();
    result = (*watcher)->Next(absl::Seconds(30), &change);
    waited = absl::Now() - start;
  });
  hub.Shutdown();
  waiting.join();
  EXPECT_EQ(result, Result::kEnded);
  EXPECT_LT(waited, absl::Seconds(10));
  EXPECT_EQ((*watcher)->status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(hub.Subscribe("").status().code(), absl::StatusCode::kUnavailable);
  hub.SetFeedAvailable(true);  // a late feed cannot reopen a stopped hub
  EXPECT_EQ(hub.Subscribe("").status().code(), absl::StatusCode::kUnavailable);
}

TEST(QueueWatchHubTest, DestroyedSubscriptionsUnsubscribe) {
  QueueWatchHub hub;
  hub.SetFeedAvailable(true);
  {
    auto first = hub.Subscribe("");
    auto second = hub.Subscribe("x");
    EXPECT_EQ(hub.subscriber_count(), 2u);
  }
  EXPECT_EQ(hub.subscriber_count(), 0u);
}

}  // namespace
}  // namespace comments::api
