// Client of ModerationService, for the moderator CLI and moderators' tools.
//
// Every call carries the moderator's bearer token (CallOptions::bearer_token)
// and a deadline, and returns absl::Status/StatusOr; nothing throws. Which
// calls are retried on UNAVAILABLE, and why:
//   ListQueue, GetModeratedComment, ListModerationEvents  always (reads)
//   EraseAuthorData     always: erasing twice leaves the same result (a retry
//                       whose first attempt landed reports 0 affected)
//   ApproveComment, RejectComment, MarkCommentSpam
//                       only when the request carries an etag. A blind retry
//                       could overrule a decision another moderator made in
//                       between; with the etag it cannot, since the server
//                       answers ABORTED once the comment changed. A retry
//                       whose first attempt did land also answers ABORTED:
//                       re-read the comment to see its state.
//   BatchModerateComments  never (no etags)
//   WatchQueue          never: the stream ends with the status; open a new
//                       one to carry on.
#ifndef COMMENTS_CLIENT_LIB_MODERATION_CLIENT_H_
#define COMMENTS_CLIENT_LIB_MODERATION_CLIENT_H_

#include <memory>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "client/lib/call_support.h"
#include "comments/v1/moderation.grpc.pb.h"

namespace comments::client {

// A live WatchQueue stream. Next blocks; Cancel may be called from any
// thread (for example a signal-handling one) to end it.
class QueueWatch {
 public:
  QueueWatch(
      std::unique_ptr<grpc::ClientContext> context,
      std::unique_ptr<grpc::ClientReaderInterface<v1::QueueEvent>> reader);
  // Cancels the stream if it is still open.
  ~QueueWatch();

  QueueWatch(const QueueWatch&) = delete;
  QueueWatch& operator=(const QueueWatch&) = delete;

  // The next event; false once the stream has ended (Finish says why).
  bool Next(v1::QueueEvent* event);
  // Ends the stream: a blocked Next returns false.
  void Cancel();
  // Why the stream ended; call once Next returned false. CANCELLED after
  // Cancel, OK when the server closed the stream normally.
  absl::Status Finish();

 private:
  // Declared before reader_: the reader must go first.
  std::unique_ptr<grpc::ClientContext> context_;
  std::unique_ptr<grpc::ClientReaderInterface<v1::QueueEvent>> reader_;
  bool finished_ = false;
  absl::Status status_;
};

class ModerationClient {
 public:
  // `options.bearer_token` should be set: the server refuses calls without
  // one (UNAUTHENTICATED).
  ModerationClient(std::shared_ptr<grpc::ChannelInterface> channel,
                   CallOptions options);
  // For tests: any stub, e.g. a generated mock.
  ModerationClient(std::shared_ptr<v1::ModerationService::StubInterface> stub,
                   CallOptions options);

  absl::StatusOr<v1::ListQueueResponse> ListQueue(
      const v1::ListQueueRequest& request);
  absl::StatusOr<v1::ModeratedComment> GetModeratedComment(
      std::string_view name);
  absl::StatusOr<v1::ModeratedComment> ApproveComment(
      const v1::ApproveCommentRequest& request);
  absl::StatusOr<v1::ModeratedComment> RejectComment(
      const v1::RejectCommentRequest& request);
  absl::StatusOr<v1::ModeratedComment> MarkCommentSpam(
      const v1::MarkCommentSpamRequest& request);
  absl::StatusOr<v1::BatchModerateCommentsResponse> BatchModerateComments(
      const v1::BatchModerateCommentsRequest& request);
  absl::StatusOr<v1::ListModerationEventsResponse> ListModerationEvents(
      const v1::ListModerationEventsRequest& request);
  absl::StatusOr<v1::EraseAuthorDataResponse> EraseAuthorData(
      const v1::EraseAuthorDataRequest& request);

  // Opens the stream. It has no deadline unless `timeout` is given: a watch
  // is meant to run until cancelled. Errors (for example UNAUTHENTICATED)
  // surface from Next/Finish.
  std::unique_ptr<QueueWatch> WatchQueue(
      const v1::WatchQueueRequest& request,
      absl::Duration timeout = absl::InfiniteDuration());

  const CallOptions& options() const { return options_; }

 private:
  // Null when made from a stub.
  std::shared_ptr<grpc::ChannelInterface> channel_;
  std::shared_ptr<v1::ModerationService::StubInterface> stub_;
  CallOptions options_;
};

}  // namespace comments::client

#endif  // COMMENTS_CLIENT_LIB_MODERATION_CLIENT_H_
