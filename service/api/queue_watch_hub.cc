#include "service/api/queue_watch_hub.h"

#include <algorithm>
#include <utility>

#include "service/common/error_details.h"

namespace comments::api {

struct QueueWatchHub::Subscriber {
  Subscriber(std::string thread, size_t capacity)
      : thread(std::move(thread)), capacity(capacity) {}

  // Ends the subscriber unless it already ended; the first reason stays.
  void End(const absl::Status& reason) {
    absl::MutexLock lock(&mu);
    if (ended) return;
    ended = true;
    status = reason;
  }

  const std::string thread;
  const size_t capacity;
  mutable absl::Mutex mu;
  std::deque<storage::QueueChange> changes ABSL_GUARDED_BY(mu);
  bool ended ABSL_GUARDED_BY(mu) = false;
  absl::Status status ABSL_GUARDED_BY(mu);
};

QueueWatchHub::Subscription::~Subscription() {
  hub_->Remove(subscriber_.get());
}

QueueWatchHub::Subscription::Result QueueWatchHub::Subscription::Next(
    absl::Duration timeout, storage::QueueChange* change) {
  Subscriber& s = *subscriber_;
  absl::MutexLock lock(&s.mu);
  auto ready = [&s]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(s.mu) {
    return !s.changes.empty() || s.ended;
  };
  s.mu.AwaitWithTimeout(absl::Condition(&ready), timeout);
  // Changes queued before the end are still delivered, except after an
  // overflow, where the stream is cut short on purpose.
  if (!s.changes.empty() &&
      !(s.ended && s.status.code() == absl::StatusCode::kResourceExhausted)) {
    *change = std::move(s.changes.front());
    s.changes.pop_front();
    return Result::kChange;
  }
  return s.ended ? Result::kEnded : Result::kTimeout;
}

absl::Status QueueWatchHub::Subscription::status() const {
  absl::MutexLock lock(&subscriber_->mu);
  return subscriber_->status;
}

QueueWatchHub::QueueWatchHub(QueueWatchOptions options)
    : options_(std::move(options)) {}

QueueWatchHub::~QueueWatchHub() { Shutdown(); }

absl::StatusOr<std::unique_ptr<QueueWatchHub::Subscription>>
QueueWatchHub::Subscribe(std::string thread) {
  absl::MutexLock lock(&mu_);
  if (shut_down_) return absl::UnavailableError("the server is shutting down");
  if (!feed_available_) {
    return WithRetryDelay(
        absl::UnavailableError("the queue feed is reconnecting to the "
                               "database; try again"),
        absl::Seconds(1));
  }
  auto subscriber =
      std::make_shared<Subscriber>(std::move(thread), options_.queue_capacity);
  subscribers_.push_back(subscriber);
  return std::unique_ptr<Subscription>(
      new Subscription(this, std::move(subscriber)));
}

void QueueWatchHub::Publish(const storage::QueueChange& change) {
  absl::ReaderMutexLock lock(&mu_);
  for (const std::shared_ptr<Subscriber>& subscriber : subscribers_) {
    if (!subscriber->thread.empty() && subscriber->thread != change.thread) {
      continue;
    }
    absl::MutexLock subscriber_lock(&subscriber->mu);
    if (subscriber->ended) continue;
    if (subscriber->changes.size() >= subscriber->capacity) {
      subscriber->ended = true;
      subscriber->status = WithErrorInfo(
          absl::ResourceExhaustedError(
              "the watcher fell behind the queue; watch again with "
              "include_existing"),
          "WATCHER_TOO_SLOW");
      subscriber->changes.clear();
      continue;
    }
    subscriber->changes.push_back(change);
  }
}

void QueueWatchHub::SetFeedAvailable(bool available) {
  {
    absl::MutexLock lock(&mu_);
    feed_available_ = available;
  }
  if (!available) {
    EndAll(WithRetryDelay(
        absl::UnavailableError("lost the database connection that feeds the "
                               "queue; watch again with include_existing"),
        absl::Seconds(1)));
  }
}

void QueueWatchHub::Shutdown() {
  {
    absl::MutexLock lock(&mu_);
    shut_down_ = true;
  }
  EndAll(absl::UnavailableError("the server is shutting down"));
}

void QueueWatchHub::EndAll(const absl::Status& status) {
  absl::ReaderMutexLock lock(&mu_);
  for (const std::shared_ptr<Subscriber>& subscriber : subscribers_) {
    subscriber->End(status);
  }
}

void QueueWatchHub::Remove(const Subscriber* subscriber) {
  absl::MutexLock lock(&mu_);
  subscribers_.erase(
      std::remove_if(subscribers_.begin(), subscribers_.end(),
                     [subscriber](const std::shared_ptr<Subscriber>& s) {
                       return s.get() == subscriber;
                     }),
      subscribers_.end());
}

size_t QueueWatchHub::subscriber_count() const {
  absl::MutexLock lock(&mu_);
  return subscribers_.size();
}

}  // namespace comments::api
