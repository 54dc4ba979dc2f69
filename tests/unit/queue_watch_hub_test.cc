// The fan-out of queue changes to watchers: filters, bounds, endings, the
// per-moderator limit, revocation, and when subscribers are called back.
#include "service/api/queue_watch_hub.h"

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"
#include "service/api/status_mapping.h"

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

// Counts the hub's calls back to one subscriber.
struct Wakeups {
  std::function<void()> Callback() {
    return [this] { ++count; };
  }
  int count = 0;
};

std::unique_ptr<QueueWatchHub::Subscription> SubscribeOk(
    QueueWatchHub& hub, const std::string& thread = "",
    const std::string& moderator = "ann",
    std::function<void()> on_ready = [] {}) {
  auto subscription = hub.Subscribe(thread, moderator, std::move(on_ready));
  EXPECT_TRUE(subscription.ok()) << subscription.status();
  return subscription.ok() ? *std::move(subscription) : nullptr;
}

// Every open count the hub reported, in order.
class RecordingWatchObserver final : public WatchObserver {
 public:
  void OnOpenWatches(size_t open) override { counts.push_back(open); }
  std::vector<size_t> counts;
};

TEST(QueueWatchHubTest, ObserverHearsTheOpenCountAfterEachChange) {
  RecordingWatchObserver observer;
  QueueWatchOptions options;
  options.max_per_moderator = 1;
  options.observer = &observer;
  QueueWatchHub hub(options);
  hub.SetFeedAvailable(true);
  auto first = SubscribeOk(hub, "", "ann");
  auto second = SubscribeOk(hub, "", "bob");
  // Refused: over ann's limit, so nothing changed.
  EXPECT_FALSE(hub.Subscribe("", "ann", [] {}).ok());
  first.reset();
  // Ended streams count until their subscription is gone.
  hub.Revoke("bob");
  EXPECT_EQ(observer.counts, (std::vector<size_t>{1, 2, 1}));
  second.reset();
  EXPECT_EQ(observer.counts, (std::vector<size_t>{1, 2, 1, 0}));
}

TEST(QueueWatchHubTest, RefusesWatchersUntilTheFeedListens) {
  QueueWatchHub hub;
  auto early = hub.Subscribe("", "ann", [] {});
  EXPECT_EQ(early.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_TRUE(GetRetryInfo(early.status()).has_value());
  hub.SetFeedAvailable(true);
  EXPECT_TRUE(hub.Subscribe("", "ann", [] {}).ok());
}

TEST(QueueWatchHubTest, DeliversInOrderAndFiltersByThread) {
  QueueWatchHub hub;
  hub.SetFeedAvailable(true);
  auto all = SubscribeOk(hub);
  auto one = SubscribeOk(hub, "article-1");
  ASSERT_NE(all, nullptr);
  ASSERT_NE(one, nullptr);
  hub.Publish(Change("a", "article-1"));
  hub.Publish(Change("b", "article-2"));
  hub.Publish(Change("c", "article-1"));

  storage::QueueChange change;
  for (const char* id : {"a", "b", "c"}) {
    ASSERT_EQ(all->Take(&change), Result::kChange);
    EXPECT_EQ(change.comment_id, id);
  }
  EXPECT_EQ(all->Take(&change), Result::kEmpty);
  for (const char* id : {"a", "c"}) {
    ASSERT_EQ(one->Take(&change), Result::kChange);
    EXPECT_EQ(change.comment_id, id);
  }
  EXPECT_EQ(one->Take(&change), Result::kEmpty);
}

TEST(QueueWatchHubTest, CallsBackOnceWhenArmedAndNeverAfterUnsubscribing) {
  QueueWatchHub hub;
  hub.SetFeedAvailable(true);
  Wakeups wakeups;
  auto subscription = SubscribeOk(hub, "", "ann", wakeups.Callback());
  ASSERT_NE(subscription, nullptr);
  // A new subscription is armed: the first change calls back, the next ones
  // do not until Take has found the queue empty again.
  hub.Publish(Change("a", "t"));
  hub.Publish(Change("b", "t"));
  EXPECT_EQ(wakeups.count, 1);
  storage::QueueChange change;
  ASSERT_EQ(subscription->Take(&change), Result::kChange);
  ASSERT_EQ(subscription->Take(&change), Result::kChange);
  EXPECT_EQ(wakeups.count, 1);
  ASSERT_EQ(subscription->Take(&change), Result::kEmpty);
  hub.Publish(Change("c", "other-thread-too"));
  EXPECT_EQ(wakeups.count, 2);
  // Ending calls back too, once.
  hub.SetFeedAvailable(false);
  EXPECT_EQ(wakeups.count, 2);  // not armed: "c" was not taken yet
  ASSERT_EQ(subscription->Take(&change), Result::kChange);
  ASSERT_EQ(subscription->Take(&change), Result::kEnded);

  Wakeups late;
  hub.SetFeedAvailable(true);
  auto gone = SubscribeOk(hub, "", "ann", late.Callback());
  gone.reset();
  hub.Publish(Change("d", "t"));
  hub.Shutdown();
  EXPECT_EQ(late.count, 0);
}

TEST(QueueWatchHubTest, AStalledWatcherIsEndedAndNeverBlocksOthers) {
  QueueWatchHub hub({/*queue_capacity=*/3});
  hub.SetFeedAvailable(true);
  auto stalled = SubscribeOk(hub, "", "ann");
  auto reader = SubscribeOk(hub, "", "bob");
  ASSERT_NE(stalled, nullptr);
  ASSERT_NE(reader, nullptr);
  storage::QueueChange change;
  // Publishing far more than the bound returns at once; the reader that
  // keeps up sees everything.
  for (int i = 0; i < 100; ++i) {
    hub.Publish(Change(std::to_string(i), "t"));
    ASSERT_EQ(reader->Take(&change), Result::kChange);
    EXPECT_EQ(change.comment_id, std::to_string(i));
  }
  EXPECT_EQ(stalled->Take(&change), Result::kEnded);
  EXPECT_EQ(stalled->status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(GetErrorInfo(stalled->status())->reason(), "WATCHER_TOO_SLOW");
}

TEST(QueueWatchHubTest, LosingTheFeedEndsEveryWatcherWithUnavailable) {
  QueueWatchHub hub;
  hub.SetFeedAvailable(true);
  auto watcher = SubscribeOk(hub);
  ASSERT_NE(watcher, nullptr);
  hub.Publish(Change("before", "t"));
  hub.SetFeedAvailable(false);
  storage::QueueChange change;
  // What arrived before the loss is still delivered, then the end.
  EXPECT_TRUE(watcher->ended());
  ASSERT_EQ(watcher->Take(&change), Result::kChange);
  EXPECT_EQ(change.comment_id, "before");
  EXPECT_EQ(watcher->Take(&change), Result::kEnded);
  EXPECT_EQ(watcher->status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(hub.Subscribe("", "ann", [] {}).status().code(),
            absl::StatusCode::kUnavailable);
  hub.SetFeedAvailable(true);
  EXPECT_TRUE(hub.Subscribe("", "ann", [] {}).ok());
}

TEST(QueueWatchHubTest, ShutdownEndsWatchersWithRetryInfoAndRefusesNewOnes) {
  QueueWatchHub hub;
  hub.SetFeedAvailable(true);
  absl::Notification woken;
  auto watcher = SubscribeOk(hub, "", "ann", [&woken] { woken.Notify(); });
  ASSERT_NE(watcher, nullptr);
  storage::QueueChange change;
  ASSERT_EQ(watcher->Take(&change), Result::kEmpty);
  // From another thread, as the server's main thread does it.
  std::thread([&hub] { hub.Shutdown(); }).join();
  EXPECT_TRUE(woken.HasBeenNotified());
  EXPECT_EQ(watcher->Take(&change), Result::kEnded);
  const absl::Status status = watcher->status();
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(status.message(), "the server is shutting down");
  ASSERT_TRUE(GetRetryInfo(status).has_value());
  EXPECT_GT(GetRetryInfo(status)->retry_delay().seconds() +
                GetRetryInfo(status)->retry_delay().nanos(),
            0);
  const absl::Status refused = hub.Subscribe("", "ann", [] {}).status();
  EXPECT_EQ(refused.code(), absl::StatusCode::kUnavailable);
  EXPECT_TRUE(GetRetryInfo(refused).has_value());
  hub.SetFeedAvailable(true);  // a late feed cannot reopen a stopped hub
  EXPECT_EQ(hub.Subscribe("", "ann", [] {}).status().code(),
            absl::StatusCode::kUnavailable);
}

TEST(QueueWatchHubTest, RevokingEndsThatModeratorsWatchersAtOnce) {
  QueueWatchHub hub;
  hub.SetFeedAvailable(true);
  Wakeups rita_wakeups;
  auto rita = SubscribeOk(hub, "", "rita", rita_wakeups.Callback());
  auto rita_thread = SubscribeOk(hub, "t", "rita");
  auto ann = SubscribeOk(hub, "", "ann");
  ASSERT_NE(rita, nullptr);
  ASSERT_NE(rita_thread, nullptr);
  ASSERT_NE(ann, nullptr);
  hub.Publish(Change("queued-before", "t"));
  EXPECT_EQ(rita_wakeups.count, 1);
  hub.Revoke("rita");
  hub.Publish(Change("after", "t"));

  storage::QueueChange change;
  // Nothing more reaches a revoked moderator, not even what was queued.
  for (auto* revoked : {rita.get(), rita_thread.get()}) {
    EXPECT_EQ(revoked->Take(&change), Result::kEnded);
    EXPECT_EQ(revoked->status().code(), absl::StatusCode::kUnauthenticated);
    EXPECT_EQ(GetErrorInfo(revoked->status())->reason(),
              "INVALID_MODERATOR_TOKEN");
  }
  for (const char* id : {"queued-before", "after"}) {
    ASSERT_EQ(ann->Take(&change), Result::kChange);
    EXPECT_EQ(change.comment_id, id);
  }
  EXPECT_FALSE(ann->ended());
}

TEST(QueueWatchHubTest, LimitsOpenSubscriptionsPerModerator) {
  QueueWatchOptions options;
  options.max_per_moderator = 2;
  QueueWatchHub hub(options);
  hub.SetFeedAvailable(true);
  auto first = SubscribeOk(hub, "", "ann");
  auto second = SubscribeOk(hub, "t", "ann");
  const absl::Status third = hub.Subscribe("", "ann", [] {}).status();
  EXPECT_EQ(third.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(GetErrorInfo(third)->reason(), "TOO_MANY_WATCHES");
  EXPECT_FALSE(GetRetryInfo(third).has_value());
  // Other moderators have limits of their own; ending one frees its place.
  EXPECT_TRUE(hub.Subscribe("", "bob", [] {}).ok());
  first.reset();
  EXPECT_TRUE(hub.Subscribe("", "ann", [] {}).ok());

  QueueWatchOptions unlimited;
  unlimited.max_per_moderator = 0;
  QueueWatchHub open_hub(unlimited);
  open_hub.SetFeedAvailable(true);
  std::vector<std::unique_ptr<QueueWatchHub::Subscription>> many;
  for (int i = 0; i < 50; ++i) many.push_back(SubscribeOk(open_hub));
  EXPECT_EQ(open_hub.subscriber_count(), 50u);
}

TEST(QueueWatchHubTest, DestroyedSubscriptionsUnsubscribe) {
  QueueWatchHub hub;
  hub.SetFeedAvailable(true);
  {
    auto first = SubscribeOk(hub);
    auto second = SubscribeOk(hub, "x");
    EXPECT_EQ(hub.subscriber_count(), 2u);
  }
  EXPECT_EQ(hub.subscriber_count(), 0u);
}

}  // namespace
}  // namespace comments::api
