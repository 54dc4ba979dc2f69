#include "service/api/moderation_service.h"

#include <utility>

#include "service/api/moderation_mapping.h"
#include "service/api/moderator_call.h"
#include "service/api/status_mapping.h"

namespace comments::api {
namespace {

app::ModeratorCaller CallerOf(const ModeratorCall& call) {
  return {call.moderator.name, call.deadline};
}

}  // namespace

ModerationServiceImpl::ModerationServiceImpl(
    app::ModerateComments* moderate,
    const ModeratorAuthenticator* authenticator,
    const security::EmailCipher* cipher, QueueWatchHub* hub, WorkQueue* work,
    ModerationServiceOptions options)
    : moderate_(moderate),
      authenticator_(authenticator),
      cipher_(cipher),
      watch_({moderate, authenticator, hub, work, options.max_call_timeout}),
      options_(std::move(options)) {}

grpc::Status ModerationServiceImpl::Serve(const grpc::ServerContext& context,
                                          ModeratorHandler handler) const {
  return ServeModeratorCall(*authenticator_, context, options_.max_call_timeout,
                            handler);
}

// ---- The queue -------------------------------------------------------------

grpc::Status ModerationServiceImpl::ListQueue(
    grpc::ServerContext* context, const v1::ListQueueRequest* request,
    v1::ListQueueResponse* response) {
  return Serve(*context, [&](const ModeratorCall& call) -> absl::Status {
    absl::StatusOr<app::QueueListingPage> page =
        moderate_->ListQueue(CallerOf(call), ToQueueListing(*request));
    if (!page.ok()) return page.status();
    for (const storage::ModeratedRecord& record : page->comments) {
      ToModeratedComment(record, *cipher_, response->add_comments());
    }
    response->set_next_page_token(page->next_page_token);
    response->set_total_size(page->total_size);
    return absl::OkStatus();
  });
}

grpc::Status ModerationServiceImpl::GetModeratedComment(
    grpc::ServerContext* context, const v1::GetModeratedCommentRequest* request,
    v1::ModeratedComment* response) {
  return Serve(*context, [&](const ModeratorCall& call) -> absl::Status {
    absl::StatusOr<storage::ModeratedRecord> record =
        moderate_->Get(CallerOf(call), request->name());
    if (!record.ok()) return record.status();
    ToModeratedComment(*record, *cipher_, response);
    return absl::OkStatus();
  });
}

// ---- Decisions -------------------------------------------------------------

grpc::Status ModerationServiceImpl::Decide(const grpc::ServerContext& context,
                                           const app::Decision& decision,
                                           v1::ModeratedComment* response) {
  return Serve(context, [&](const ModeratorCall& call) -> absl::Status {
    absl::StatusOr<storage::ModeratedRecord> record =
        moderate_->Decide(CallerOf(call), decision);
    if (!record.ok()) return record.status();
    ToModeratedComment(*record, *cipher_, response);
    return absl::OkStatus();
  });
}

grpc::Status ModerationServiceImpl::ApproveComment(
    grpc::ServerContext* context, const v1::ApproveCommentRequest* request,
    v1::ModeratedComment* response) {
  return Decide(*context,
                {domain::ModerationAction::kApprove, request->name(),
                 request->etag(), ""},
                response);
}

grpc::Status ModerationServiceImpl::RejectComment(
    grpc::ServerContext* context, const v1::RejectCommentRequest* request,
    v1::ModeratedComment* response) {
  return Decide(*context,
                {domain::ModerationAction::kReject, request->name(),
                 request->etag(), request->reason()},
                response);
}

grpc::Status ModerationServiceImpl::MarkCommentSpam(
    grpc::ServerContext* context, const v1::MarkCommentSpamRequest* request,
    v1::ModeratedComment* response) {
  return Decide(*context,
                {domain::ModerationAction::kMarkSpam, request->name(),
                 request->etag(), ""},
                response);
}

grpc::Status ModerationServiceImpl::BatchModerateComments(
    grpc::ServerContext* context,
    const v1::BatchModerateCommentsRequest* request,
    v1::BatchModerateCommentsResponse* response) {
  return Serve(*context, [&](const ModeratorCall& call) -> absl::Status {
    absl::StatusOr<app::BatchResults> results =
        moderate_->Batch(CallerOf(call), ToBatchDecision(*request));
    if (!results.ok()) return results.status();
    for (size_t i = 0; i < results->size(); ++i) {
      const absl::StatusOr<storage::ModeratedRecord>& record = (*results)[i];
      v1::BatchModerateCommentsResponse::Result* result =
          response->add_results();
      result->set_name(request->names(static_cast<int>(i)));
      *result->mutable_status() = ToRpcStatus(record.status());
      if (record.ok()) {
        ToModeratedComment(*record, *cipher_, result->mutable_comment());
      }
    }
    return absl::OkStatus();
  });
}

// ---- Watching --------------------------------------------------------------

grpc::ServerWriteReactor<v1::QueueEvent>* ModerationServiceImpl::WatchQueue(
    grpc::CallbackServerContext* context,
    const v1::WatchQueueRequest* request) {
  return QueueWatchReactor::Start(context, request, watch_);
}

// ---- The audit trail and erasure -------------------------------------------

grpc::Status ModerationServiceImpl::ListModerationEvents(
    grpc::ServerContext* context,
    const v1::ListModerationEventsRequest* request,
    v1::ListModerationEventsResponse* response) {
  return Serve(*context, [&](const ModeratorCall& call) -> absl::Status {
    absl::StatusOr<app::EventPage> page = moderate_->ListEvents(
        CallerOf(call),
        {request->comment(), {request->page_size(), request->page_token()}});
    if (!page.ok()) return page.status();
    for (const storage::ModerationEventRecord& event : page->events) {
      ToModerationEvent(event, response->add_events());
    }
    response->set_next_page_token(page->next_page_token);
    return absl::OkStatus();
  });
}

grpc::Status ModerationServiceImpl::EraseAuthorData(
    grpc::ServerContext* context, const v1::EraseAuthorDataRequest* request,
    v1::EraseAuthorDataResponse* response) {
  return Serve(*context, [&](const ModeratorCall& call) -> absl::Status {
    absl::StatusOr<int64_t> affected = moderate_->EraseAuthorData(
        CallerOf(call), {request->author_email(), request->delete_comments()});
    if (!affected.ok()) return affected.status();
    response->set_affected_comments(*affected);
    return absl::OkStatus();
  });
}

}  // namespace comments::api
