#include "service/api/queue_watch_hub.h"

#include <algorithm>
#include <deque>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "service/api/moderator_auth.h"
#include "service/domain/error.h"

namespace comments::api {
namespace {

// How long a watcher told to go away should wait before watching again:
// long enough for a load balancer to see the replica leave or the feed
// reconnect, short enough to miss little.
constexpr absl::Duration kRewatchDelay = absl::Seconds(1);

}  // namespace

struct QueueWatchHub::Subscriber {
  Subscriber(std::string thread, std::string moderator, size_t capacity,
             std::function<void()> on_ready)
      : thread(std::move(thread)),
        moderator(std::move(moderator)),
        capacity(capacity),
        on_ready(std::move(on_ready)) {}

  // Ends the subscriber unless it already ended; the first reason stays.
  // Returns whether on_ready is due.
  bool End(const absl::Status& reason, bool discard) {
    absl::MutexLock lock(&mu);
    if (ended) return false;
    ended = true;
    status = reason;
    if (discard) changes.clear();
    return Disarm();
  }

  // Queues `change`, or ends the subscriber when it is full. Returns
  // whether on_ready is due.
  bool Push(const storage::QueueChange& change) {
    absl::MutexLock lock(&mu);
    if (ended) return false;
    if (changes.size() >= capacity) {
      ended = true;
      status = domain::WithReason(
          absl::ResourceExhaustedError(
              "the watcher fell behind the queue; watch again with "
              "include_existing"),
          domain::ErrorReason::kWatcherTooSlow);
      changes.clear();
    } else {
      changes.push_back(change);
    }
    return Disarm();
  }

  bool Disarm() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) {
    const bool due = armed;
    armed = false;
    return due;
  }

  const std::string thread;
  const std::string moderator;
  const size_t capacity;
  // Called without `mu` held, so that it may call Take.
  const std::function<void()> on_ready;
  mutable absl::Mutex mu;
  std::deque<storage::QueueChange> changes ABSL_GUARDED_BY(mu);
  bool armed ABSL_GUARDED_BY(mu) = true;
  bool ended ABSL_GUARDED_BY(mu) = false;
  absl::Status status ABSL_GUARDED_BY(mu);
};

QueueWatchHub::Subscription::~Subscription() {
  hub_->Remove(subscriber_.get());
}

QueueWatchHub::Subscription::Result QueueWatchHub::Subscription::Take(
    storage::QueueChange* change) {
  Subscriber& s = *subscriber_;
  absl::MutexLock lock(&s.mu);
  if (!s.changes.empty()) {
    *change = std::move(s.changes.front());
    s.changes.pop_front();
    return Result::kChange;
  }
  if (s.ended) return Result::kEnded;
  s.armed = true;
  return Result::kEmpty;
}

bool QueueWatchHub::Subscription::ended() const {
  absl::MutexLock lock(&subscriber_->mu);
  return subscriber_->ended;
}

absl::Status QueueWatchHub::Subscription::status() const {
  absl::MutexLock lock(&subscriber_->mu);
  return subscriber_->status;
}

QueueWatchHub::QueueWatchHub(QueueWatchOptions options)
    : options_(std::move(options)) {}

QueueWatchHub::~QueueWatchHub() { Shutdown(); }

absl::StatusOr<std::unique_ptr<QueueWatchHub::Subscription>>
QueueWatchHub::Subscribe(std::string thread, std::string moderator,
                         std::function<void()> on_ready) {
  absl::MutexLock lock(&mu_);
  if (shut_down_) {
    return domain::WithRetryDelay(
        absl::UnavailableError("the server is shutting down"), kRewatchDelay);
  }
  if (!feed_available_) {
    return domain::WithRetryDelay(
        absl::UnavailableError("the queue feed is reconnecting to the "
                               "database; try again"),
        kRewatchDelay);
  }
  if (options_.max_per_moderator > 0 &&
      std::count_if(subscribers_.begin(), subscribers_.end(),
                    [&moderator](const std::shared_ptr<Subscriber>& s) {
                      return s->moderator == moderator;
                    }) >= options_.max_per_moderator) {
    return domain::WithReason(
        absl::ResourceExhaustedError(absl::StrCat(
            "at most ", options_.max_per_moderator,
            " open watches per moderator on this server; end one first")),
        domain::ErrorReason::kTooManyWatches);
  }
  auto subscriber = std::make_shared<Subscriber>(
      std::move(thread), std::move(moderator), options_.queue_capacity,
      std::move(on_ready));
  subscribers_.push_back(subscriber);
  ReportOpen();
  return std::unique_ptr<Subscription>(
      new Subscription(this, std::move(subscriber)));
}

void QueueWatchHub::Publish(const storage::QueueChange& change) {
  absl::ReaderMutexLock lock(&mu_);
  for (const std::shared_ptr<Subscriber>& subscriber : subscribers_) {
    if (!subscriber->thread.empty() && subscriber->thread != change.thread) {
      continue;
    }
    if (subscriber->Push(change)) subscriber->on_ready();
  }
}

void QueueWatchHub::SetFeedAvailable(bool available) {
  {
    absl::MutexLock lock(&mu_);
    feed_available_ = available;
  }
  if (!available) {
    EndWhere([](const Subscriber&) { return true; },
             domain::WithRetryDelay(
                 absl::UnavailableError("lost the database connection that "
                                        "feeds the queue; watch again with "
                                        "include_existing"),
                 kRewatchDelay),
             /*discard=*/false);
  }
}

void QueueWatchHub::Revoke(std::string_view moderator) {
  EndWhere(
      [moderator](const Subscriber& s) { return s.moderator == moderator; },
      InvalidModeratorTokenError(), /*discard=*/true);
}

void QueueWatchHub::Shutdown() {
  {
    absl::MutexLock lock(&mu_);
    shut_down_ = true;
  }
  EndWhere(
      [](const Subscriber&) { return true; },
      domain::WithRetryDelay(
          absl::UnavailableError("the server is shutting down"), kRewatchDelay),
      /*discard=*/false);
}

void QueueWatchHub::EndWhere(
    const std::function<bool(const Subscriber&)>& which,
    const absl::Status& status, bool discard) {
  absl::ReaderMutexLock lock(&mu_);
  for (const std::shared_ptr<Subscriber>& subscriber : subscribers_) {
    if (which(*subscriber) && subscriber->End(status, discard)) {
      subscriber->on_ready();
    }
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
  ReportOpen();
}

void QueueWatchHub::ReportOpen() {
  if (options_.observer != nullptr) {
    options_.observer->OnOpenWatches(subscribers_.size());
  }
}

size_t QueueWatchHub::subscriber_count() const {
  absl::MutexLock lock(&mu_);
  return subscribers_.size();
}

}  // namespace comments::api
