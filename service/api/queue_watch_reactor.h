// One WatchQueue stream, served on gRPC's callback API.
//
// The stream holds no thread while it waits: the hub calls it back when a
// change arrives or the subscription ends, gRPC when a write is done or the
// caller leaves (OnWriteDone, OnCancel), and each callback writes at most
// one event and returns. The steps that need the database (authentication,
// the pages of the existing queue) run on a shared WorkQueue, never on
// gRPC's threads.
//
// The stream goes through three phases: setting up (authenticate, check
// the filter, subscribe, authenticate again), the existing queue (when
// include_existing, page by page), then live changes until the
// subscription ends or the caller leaves.
#ifndef COMMENTS_SERVICE_API_QUEUE_WATCH_REACTOR_H_
#define COMMENTS_SERVICE_API_QUEUE_WATCH_REACTOR_H_

#include <cstddef>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "comments/v1/moderation.pb.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/server_callback.h"
#include "service/api/moderator_auth.h"
#include "service/api/moderator_call.h"
#include "service/api/queue_watch_hub.h"
#include "service/api/work_queue.h"
#include "service/app/moderate_comments.h"

namespace comments::api {

// What every stream uses; none of it is owned, all of it outlives the
// server.
struct QueueWatchDependencies {
  // What to watch and the existing queue.
  app::ModerateComments* moderation = nullptr;
  const ModeratorAuthenticator* authenticator = nullptr;
  QueueWatchHub* hub = nullptr;
  WorkQueue* work = nullptr;
  // Upper bound on each database step of a stream.
  absl::Duration max_call_timeout = absl::Seconds(10);
};

class QueueWatchReactor final
    : public grpc::ServerWriteReactor<v1::QueueEvent> {
 public:
  // Starts serving one call; gRPC owns the result, which deletes itself in
  // OnDone.
  static grpc::ServerWriteReactor<v1::QueueEvent>* Start(
      grpc::CallbackServerContext* context,
      const v1::WatchQueueRequest* request,
      const QueueWatchDependencies& dependencies);

  void OnWriteDone(bool ok) override;
  void OnCancel() override;
  void OnDone() override;

 private:
  enum class Phase { kSettingUp, kExisting, kLive };

  QueueWatchReactor(grpc::CallbackServerContext* context,
                    const v1::WatchQueueRequest& request,
                    const QueueWatchDependencies& dependencies);

  // On the work queue.
  void SetUp();
  // Authenticates the call (moderator_call.h), then SubscribeAs.
  absl::Status Subscribe();
  absl::Status SubscribeAs(const ModeratorCall& call);
  void LoadExisting();

  // From the hub: something to take, or the end.
  void OnReady();

  // Takes the stream one step further: writes the next event, fetches the
  // next page, or finishes. Does nothing while a write or a database step
  // is under way; whatever ends that calls it again.
  void Advance() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Ends the stream with `status` as soon as nothing is under way.
  void EndWith(const absl::Status& status) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void Write(v1::QueueEvent event) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  absl::Time Deadline() const;

  grpc::CallbackServerContext* const context_;
  const std::string parent_;
  const bool include_existing_;
  const QueueWatchDependencies deps_;

  absl::Mutex mu_;
  Phase phase_ ABSL_GUARDED_BY(mu_) = Phase::kSettingUp;
  // A write in flight, or a step on the work queue.
  bool busy_ ABSL_GUARDED_BY(mu_) = true;
  std::optional<absl::Status> ending_ ABSL_GUARDED_BY(mu_);
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
  // Set by SetUp before it clears busy_; read-only afterwards.
  std::string thread_;
  std::string moderator_;
  std::unique_ptr<QueueWatchHub::Subscription> subscription_
      ABSL_GUARDED_BY(mu_);
  // The event being written: gRPC reads it until OnWriteDone.
  v1::QueueEvent writing_ ABSL_GUARDED_BY(mu_);
  // The existing queue: the page being sent, where the next one starts,
  // and every comment sent from it, so a live ENTERED is not sent twice.
  std::vector<v1::QueueEvent> page_ ABSL_GUARDED_BY(mu_);
  size_t next_in_page_ ABSL_GUARDED_BY(mu_) = 0;
  std::optional<int64_t> next_page_after_ ABSL_GUARDED_BY(mu_) = 0;
  std::set<std::string> existing_ ABSL_GUARDED_BY(mu_);
};

}  // namespace comments::api

#endif  // COMMENTS_SERVICE_API_QUEUE_WATCH_REACTOR_H_
