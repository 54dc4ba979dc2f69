// The ModerationService: moderators work the queue. Every call goes through
// Serve (moderator_call.h), which authenticates it once; the handlers below
// receive the moderator's identity, taken from the token alone, translate
// the request for the use case (app/moderate_comments.h) and its answer
// back (moderation_mapping.h).
#ifndef COMMENTS_SERVICE_API_MODERATION_SERVICE_H_
#define COMMENTS_SERVICE_API_MODERATION_SERVICE_H_

#include "absl/time/time.h"
#include "comments/v1/moderation.grpc.pb.h"
#include "service/api/moderator_auth.h"
#include "service/api/moderator_call.h"
#include "service/api/queue_watch_hub.h"
#include "service/api/queue_watch_reactor.h"
#include "service/api/work_queue.h"
#include "service/app/moderate_comments.h"
#include "service/security/email_cipher.h"

namespace comments::api {

struct ModerationServiceOptions {
  // Upper bound on any unary call's database work.
  absl::Duration max_call_timeout = absl::Seconds(10);
};

// Unary methods run on the synchronous server's threads (they block on the
// database); WatchQueue streams on the callback API, so that an open watch
// holds no thread (queue_watch_reactor.h).
class ModerationServiceImpl final
    : public v1::ModerationService::WithCallbackMethod_WatchQueue<
          v1::ModerationService::Service> {
 public:
  // Dependencies are not owned and must outlive the service. `cipher`
  // decrypts the addresses moderators see; `work` runs the database steps
  // of WatchQueue streams.
  ModerationServiceImpl(app::ModerateComments* moderate,
                        const ModeratorAuthenticator* authenticator,
                        const security::EmailCipher* cipher, QueueWatchHub* hub,
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
  // Every unary method's one way to its handler.
  grpc::Status Serve(const grpc::ServerContext& context,
                     ModeratorHandler handler) const;
  // Approve, Reject and MarkSpam.
  grpc::Status Decide(const grpc::ServerContext& context,
                      const app::Decision& decision,
                      v1::ModeratedComment* response);

  app::ModerateComments* moderate_;
  const ModeratorAuthenticator* authenticator_;
  const security::EmailCipher* cipher_;
  const QueueWatchDependencies watch_;
  const ModerationServiceOptions options_;
};

}  // namespace comments::api

#endif  // COMMENTS_SERVICE_API_MODERATION_SERVICE_H_
