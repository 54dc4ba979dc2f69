// The ModerationService: moderators work the queue. Every call goes through
// Serve (moderator_call.h), which authenticates it once; the handlers below
// receive the moderator's identity, taken from the token alone.
#ifndef COMMENTS_SERVICE_API_MODERATION_SERVICE_H_
#define COMMENTS_SERVICE_API_MODERATION_SERVICE_H_

#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "comments/v1/moderation.grpc.pb.h"
#include "service/api/moderator_auth.h"
#include "service/api/moderator_call.h"
#include "service/api/queue_watch_hub.h"
#include "service/api/queue_watch_reactor.h"
#include "service/api/work_queue.h"
#include "service/domain/moderation.h"
#include "service/domain/page_token.h"
#include "service/domain/validation.h"
#include "service/security/email_cipher.h"
#include "service/security/keyed_hash.h"
#include "service/storage/moderation_repository.h"

namespace comments::api {

struct ModerationServiceOptions {
  domain::PageLimits pages;
  // Seals and opens ListQueue and ListModerationEvents page tokens; not
  // owned. Required for those two, which fail without one.
  const domain::PageTokenCodec* page_tokens = nullptr;
  // The email rules EraseAuthorData checks its address against.
  domain::ValidationLimits limits;
  // Upper bound on any unary call's database work.
  absl::Duration max_call_timeout = absl::Seconds(10);
  int max_batch_names = 500;
};

// Unary methods run on the synchronous server's threads (they block on the
// database); WatchQueue streams on the callback API, so that an open watch
// holds no thread (queue_watch_reactor.h).
class ModerationServiceImpl final
    : public v1::ModerationService::WithCallbackMethod_WatchQueue<
          v1::ModerationService::Service> {
 public:
  // Dependencies are not owned and must outlive the service. `work` runs
  // the database steps of WatchQueue streams.
  ModerationServiceImpl(storage::ModerationRepository* moderation,
                        const ModeratorAuthenticator* authenticator,
                        const security::EmailCipher* cipher,
                        const security::KeyedHasher* hasher, QueueWatchHub* hub,
                        WorkQueue* work, ModerationServiceOptions options);

  grpc::Status ListQueue(grpc::ServerContext* context,
                         const v1::ListQueueRequest* request,
                         v1::ListQueueResponse* response) override;
  grpc::Status GetModeratedComment(
      grpc::ServerContext* context,
      const v1::GetModeratedCommentRequest* request,
      v1::ModeratedComment* response) override;
  grpc::Status ApproveComment(grpc::ServerContext* context,
                              const v1::ApproveCommentRequest* request,
                              v1::ModeratedComment* response) override;
  grpc::Status RejectComment(grpc::ServerContext* context,
                             const v1::RejectCommentRequest* request,
                             v1::ModeratedComment* response) override;
  grpc::Status MarkCommentSpam(grpc::ServerContext* context,
                               const v1::MarkCommentSpamRequest* request,
                               v1::ModeratedComment* response) override;
  grpc::Status BatchModerateComments(
      grpc::ServerContext* context,
      const v1::BatchModerateCommentsRequest* request,
      v1::BatchModerateCommentsResponse* response) override;
  grpc::ServerWriteReactor<v1::QueueEvent>* WatchQueue(
      grpc::CallbackServerContext* context,
      const v1::WatchQueueRequest* request) override;
  grpc::Status ListModerationEvents(
      grpc::ServerContext* context,
      const v1::ListModerationEventsRequest* request,
      v1::ListModerationEventsResponse* response) override;
  grpc::Status EraseAuthorData(grpc::ServerContext* context,
                               const v1::EraseAuthorDataRequest* request,
                               v1::EraseAuthorDataResponse* response) override;

 private:
  // One decision on one comment, as the single-comment calls make it.
  struct Decision {
    domain::ModerationAction action;
    std::string name;
    std::string etag;
    std::string reason;
  };

  absl::Status Decide(const ModeratorCall& call, const Decision& decision,
                      v1::ModeratedComment* out);
  absl::Status List(const ModeratorCall& call,
                    const v1::ListQueueRequest& request,
                    v1::ListQueueResponse* response);
  absl::Status Get(const ModeratorCall& call,
                   const v1::GetModeratedCommentRequest& request,
                   v1::ModeratedComment* response);
  absl::Status Batch(const ModeratorCall& call,
                     const v1::BatchModerateCommentsRequest& request,
                     v1::BatchModerateCommentsResponse* response);
  absl::Status Events(const ModeratorCall& call,
                      const v1::ListModerationEventsRequest& request,
                      v1::ListModerationEventsResponse* response);
  absl::Status Erase(const ModeratorCall& call,
                     const v1::EraseAuthorDataRequest& request,
                     v1::EraseAuthorDataResponse* response);

  // Every unary method's one way to its handler.
  grpc::Status Serve(const grpc::ServerContext& context,
                     ModeratorHandler handler) const;

  storage::ModerationRepository* moderation_;
  const ModeratorAuthenticator* authenticator_;
  const security::EmailCipher* cipher_;
  const security::KeyedHasher* hasher_;
  const QueueWatchDependencies watch_;
  const ModerationServiceOptions options_;
};

}  // namespace comments::api

#endif  // COMMENTS_SERVICE_API_MODERATION_SERVICE_H_
