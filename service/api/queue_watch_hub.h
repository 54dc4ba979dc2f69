// Fans queue changes out to the WatchQueue streams of this replica.
//
// Each subscriber has a bounded queue. Publish never waits for a subscriber:
// one whose queue is full is ended with RESOURCE_EXHAUSTED instead, so a
// stalled watcher costs memory up to its bound and never slows submissions
// or other watchers. The feed (the PostgreSQL listener) reports when it
// stops listening; every subscriber is then ended with UNAVAILABLE, because
// changes committed meanwhile would be missing from its stream. A revoked
// moderator's subscribers end at once with UNAUTHENTICATED.
//
// Nothing here waits: a subscriber takes what is queued and, when nothing
// is, is called back once something arrives or it ends. A stream therefore
// holds no thread while it has nothing to send.
#ifndef COMMENTS_SERVICE_API_QUEUE_WATCH_HUB_H_
#define COMMENTS_SERVICE_API_QUEUE_WATCH_HUB_H_

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "service/storage/queue_change.h"

namespace comments::api {

// Hears how many subscriptions are open after each change, for the metrics;
// called with the hub's lock held, so it must be quick and not call back.
class WatchObserver {
 public:
  virtual ~WatchObserver() = default;
  virtual void OnOpenWatches(size_t open) = 0;
};

struct QueueWatchOptions {
  // Changes a subscriber may fall behind by before it is ended.
  size_t queue_capacity = 1024;
  // Open subscriptions one moderator may hold on this replica; 0 means no
  // limit. A leaked or hostile tool cannot hold the server's memory.
  int max_per_moderator = 4;
  // Not owned; must outlive the hub. None when null.
  WatchObserver* observer = nullptr;
};

class QueueWatchHub {
 private:
  struct Subscriber;

 public:
  // One watcher's view. Ends (unsubscribes) when destroyed.
  class Subscription {
   public:
    // After it returns, the subscription's on_ready never runs again.
    ~Subscription();
    Subscription(const Subscription&) = delete;
    Subscription& operator=(const Subscription&) = delete;

    enum class Result { kChange, kEmpty, kEnded };
    // Never blocks. kChange fills `change`. kEmpty arms the subscription:
    // on_ready runs once when a change arrives or the subscription ends.
    // kEnded once the hub ended the subscription and every change queued
    // before that was taken (after an overflow or a revocation nothing more
    // is delivered); the reason is then status().
    Result Take(storage::QueueChange* change);
    // Whether the hub ended the subscription, changes still queued or not.
    bool ended() const;
    absl::Status status() const;

   private:
    friend class QueueWatchHub;
    Subscription(QueueWatchHub* hub, std::shared_ptr<Subscriber> subscriber)
        : hub_(hub), subscriber_(std::move(subscriber)) {}
    QueueWatchHub* hub_;
    std::shared_ptr<Subscriber> subscriber_;
  };

  explicit QueueWatchHub(QueueWatchOptions options = {});
  ~QueueWatchHub();

  QueueWatchHub(const QueueWatchHub&) = delete;
  QueueWatchHub& operator=(const QueueWatchHub&) = delete;

  // Changes of `thread` only, or of every thread when it is empty, for
  // `moderator`. UNAVAILABLE while the feed is not listening or after
  // Shutdown(); RESOURCE_EXHAUSTED (reason TOO_MANY_WATCHES) when the
  // moderator already holds max_per_moderator subscriptions.
  //
  // `on_ready` runs on the thread that publishes or ends (the listener's,
  // or Shutdown's caller), with the hub's lock held so that it never
  // outlives its subscription: it must not block, subscribe, or destroy a
  // subscription. It may call Take. A new subscription starts armed.
  absl::StatusOr<std::unique_ptr<Subscription>> Subscribe(
      std::string thread, std::string moderator,
      std::function<void()> on_ready);

  // Never blocks on a subscriber.
  void Publish(const storage::QueueChange& change);

  // From the feed. false ends every subscriber with UNAVAILABLE and refuses
  // new ones until true.
  void SetFeedAvailable(bool available);

  // Ends every subscription of `moderator` at once with UNAUTHENTICATED
  // (reason INVALID_MODERATOR_TOKEN); changes queued for them are dropped.
  void Revoke(std::string_view moderator);

  // Ends every subscriber with UNAVAILABLE ("the server is shutting down",
  // with RetryInfo: another replica can serve the watch) and refuses new
  // ones for good: streams finish before the server's grace period starts.
  void Shutdown();

  size_t subscriber_count() const;

 private:
  // Ends the subscribers `which` selects; `discard` drops what they have
  // not taken yet.
  void EndWhere(const std::function<bool(const Subscriber&)>& which,
                const absl::Status& status, bool discard);
  void Remove(const Subscriber* subscriber);
  void ReportOpen() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const QueueWatchOptions options_;
  mutable absl::Mutex mu_;
  std::vector<std::shared_ptr<Subscriber>> subscribers_ ABSL_GUARDED_BY(mu_);
  bool feed_available_ ABSL_GUARDED_BY(mu_) = false;
  bool shut_down_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace comments::api

#endif  // COMMENTS_SERVICE_API_QUEUE_WATCH_HUB_H_
