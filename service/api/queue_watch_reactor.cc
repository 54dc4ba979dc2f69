#include "service/api/queue_watch_reactor.h"

#include <utility>

#include "service/api/comment_mapping.h"
#include "service/api/moderation_mapping.h"
#include "service/api/moderator_call.h"
#include "service/api/request_context.h"
#include "service/api/status_mapping.h"
#include "service/common/json_log.h"
#include "service/domain/names.h"

namespace comments::api {
namespace {

absl::Status WatcherLeft() {
  return absl::CancelledError("the watcher went away");
}

v1::QueueEvent ExistingEvent(const storage::ModeratedRecord& record) {
  v1::QueueEvent event;
  event.set_kind(v1::QueueEvent::ENTERED);
  event.set_comment(
      domain::CommentResourceName(record.comment.thread, record.comment.id));
  event.set_state(v1::PENDING);
  ToProto(record.comment.create_time, event.mutable_event_time());
  return event;
}

}  // namespace

grpc::ServerWriteReactor<v1::QueueEvent>* QueueWatchReactor::Start(
    grpc::CallbackServerContext* context, const v1::WatchQueueRequest* request,
    const QueueWatchDependencies& dependencies) {
  auto* reactor = new QueueWatchReactor(context, *request, dependencies);
  dependencies.work->Schedule([reactor] { reactor->SetUp(); });
  return reactor;
}

QueueWatchReactor::QueueWatchReactor(grpc::CallbackServerContext* context,
                                     const v1::WatchQueueRequest& request,
                                     const QueueWatchDependencies& dependencies)
    : context_(context),
      parent_(request.parent()),
      include_existing_(request.include_existing()),
      deps_(dependencies) {}

absl::Time QueueWatchReactor::Deadline() const {
  return CallDeadline(*context_, deps_.max_call_timeout);
}

void QueueWatchReactor::SetUp() {
  const absl::Status status =
      context_->IsCancelled() ? WatcherLeft() : Subscribe();
  absl::MutexLock lock(&mu_);
  busy_ = false;
  if (!status.ok()) {
    EndWith(status);
    return;
  }
  log::Info("queue watch started", {{"moderator", moderator_}});
  // The initial metadata tells the caller that the watch is in place: from
  // then on, nothing committed is missed.
  StartSendInitialMetadata();
  phase_ = include_existing_ ? Phase::kExisting : Phase::kLive;
  Advance();
}

absl::Status QueueWatchReactor::Subscribe() {
  return RunAsModerator(
      *deps_.authenticator, MetadataValue(*context_, "authorization"),
      Deadline(),
      [this](const ModeratorCall& call) { return SubscribeAs(call); });
}

absl::Status QueueWatchReactor::SubscribeAs(const ModeratorCall& call) {
  absl::StatusOr<std::string> thread = deps_.moderation->WatchedThread(parent_);
  if (!thread.ok()) return thread.status();
  moderator_ = call.moderator.name;
  thread_ = *std::move(thread);
  // Subscribing before reading the existing queue misses nothing; what both
  // report is sent once.
  absl::StatusOr<std::unique_ptr<QueueWatchHub::Subscription>> subscription =
      deps_.hub->Subscribe(thread_, moderator_, [this] { OnReady(); });
  if (!subscription.ok()) return subscription.status();
  {
    absl::MutexLock lock(&mu_);
    subscription_ = *std::move(subscription);
  }
  // A revocation that committed before the subscription was in place was
  // announced to nobody; one after it reaches the subscription. Asking once
  // more now leaves no gap between the two.
  absl::StatusOr<Moderator> still =
      deps_.authenticator->Authenticate(*context_, Deadline());
  if (!still.ok()) return still.status();
  return absl::OkStatus();
}

void QueueWatchReactor::LoadExisting() {
  int64_t after = 0;
  {
    absl::MutexLock lock(&mu_);
    after = next_page_after_.value_or(0);
  }
  absl::StatusOr<app::ExistingQueuePage> page =
      deps_.moderation->ExistingQueue(thread_, after, Deadline());
  absl::MutexLock lock(&mu_);
  busy_ = false;
  if (!page.ok()) {
    EndWith(page.status());
    return;
  }
  page_.clear();
  next_in_page_ = 0;
  for (const storage::ModeratedRecord& record : page->comments) {
    page_.push_back(ExistingEvent(record));
    existing_.insert(record.comment.id);
  }
  next_page_after_ = page->next_after;
  Advance();
}

void QueueWatchReactor::OnReady() {
  absl::MutexLock lock(&mu_);
  Advance();
}

void QueueWatchReactor::OnWriteDone(bool ok) {
  absl::MutexLock lock(&mu_);
  busy_ = false;
  if (!ok) {
    EndWith(WatcherLeft());
    return;
  }
  Advance();
}

void QueueWatchReactor::OnCancel() {
  absl::MutexLock lock(&mu_);
  EndWith(WatcherLeft());
}

void QueueWatchReactor::OnDone() {
  std::unique_ptr<QueueWatchHub::Subscription> subscription;
  {
    absl::MutexLock lock(&mu_);
    subscription = std::move(subscription_);
  }
  // Unsubscribing waits for an OnReady under way (it holds the hub's lock),
  // and none starts afterwards, so deleting is safe once it returns.
  subscription.reset();
  delete this;
}

void QueueWatchReactor::EndWith(const absl::Status& status) {
  if (!ending_.has_value()) ending_ = status;
  Advance();
}

void QueueWatchReactor::Write(v1::QueueEvent event) {
  writing_ = std::move(event);
  busy_ = true;
  StartWrite(&writing_);
}

void QueueWatchReactor::Advance() {
  while (!finished_ && !busy_) {
    if (ending_.has_value()) {
      finished_ = true;
      Finish(ToGrpcStatus(*ending_));
      return;
    }
    switch (phase_) {
      case Phase::kSettingUp:
        return;
      case Phase::kExisting:
        // An ended subscription cuts the existing queue short: the stream
        // still delivers the changes queued before the end, then ends.
        if (subscription_->ended()) {
          phase_ = Phase::kLive;
        } else if (next_in_page_ < page_.size()) {
          Write(std::move(page_[next_in_page_++]));
        } else if (next_page_after_.has_value()) {
          busy_ = true;
          deps_.work->Schedule([this] { LoadExisting(); });
        } else {
          phase_ = Phase::kLive;
          page_.clear();
        }
        break;
      case Phase::kLive: {
        storage::QueueChange change;
        switch (subscription_->Take(&change)) {
          case QueueWatchHub::Subscription::Result::kEmpty:
            return;  // armed: OnReady comes
          case QueueWatchHub::Subscription::Result::kEnded:
            ending_ = subscription_->status();
            break;
          case QueueWatchHub::Subscription::Result::kChange:
            if (change.kind == storage::QueueChange::Kind::kEntered &&
                existing_.count(change.comment_id) > 0) {
              break;  // already sent from the existing queue
            }
            v1::QueueEvent event;
            ToQueueEvent(change, &event);
            Write(std::move(event));
            break;
        }
        break;
      }
    }
  }
}

}  // namespace comments::api
