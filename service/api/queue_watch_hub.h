// Fans queue changes out to the WatchQueue streams of this replica.
//
// Each subscriber has a bounded queue. Publish never waits for a subscriber:
// one whose queue is full is ended with RESOURCE_EXHAUSTED instead, so a
// stalled watcher costs memory up to its bound and never slows submissions
// or other watchers. The feed (the PostgreSQL listener) reports when it
// stops listening; every subscriber is then ended with UNAVAILABLE, because
// changes committed meanwhile would be missing from its stream.
#ifndef COMMENTS_SERVICE_API_QUEUE_WATCH_HUB_H_
#define COMMENTS_SERVICE_API_QUEUE_WATCH_HUB_H_

#include <cstddef>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "service/storage/queue_change.h"

namespace comments::api {

struct QueueWatchOptions {
  // Changes a subscriber may fall behind by before it is ended.
  size_t queue_capacity = 1024;
};

class QueueWatchHub {
 private:
  struct Subscriber;

 public:
  // One watcher's view. Ends (unsubscribes) when destroyed.
  class Subscription {
   public:
    ~Subscription();
    Subscription(const Subscription&) = delete;
    Subscription& operator=(const Subscription&) = delete;

    enum class Result { kChange, kTimeout, kEnded };
    // Waits up to `timeout` for the next change. kEnded once the hub ended
    // the subscription and every change queued before that was taken; the
    // reason is then status().
    Result Next(absl::Duration timeout, storage::QueueChange* change);
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

  // Changes of `thread` only, or of every thread when it is empty.
  // UNAVAILABLE while the feed is not listening or after Shutdown().
  absl::StatusOr<std::unique_ptr<Subscription>> Subscribe(std::string thread);

  // Never blocks on a subscriber.
  void Publish(const storage::QueueChange& change);

  // From the feed. false ends every subscriber with UNAVAILABLE and refuses
  // new ones until true.
  void SetFeedAvailable(bool available);

  // Ends every subscriber with UNAVAILABLE ("shutting down") and refuses new
  // ones for good: streams finish before the server's grace period starts.
  void Shutdown();

  size_t subscriber_count() const;

 private:
  void EndAll(const absl::Status& status);
  void Remove(const Subscriber* subscriber);

  const QueueWatchOptions options_;
  mutable absl::Mutex mu_;
  std::vector<std::shared_ptr<Subscriber>> subscribers_ ABSL_GUARDED_BY(mu_);
  bool feed_available_ ABSL_GUARDED_BY(mu_) = false;
  bool shut_down_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace comments::api

#endif  // COMMENTS_SERVICE_API_QUEUE_WATCH_HUB_H_
