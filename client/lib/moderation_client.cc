#include "client/lib/moderation_client.h"

#include <utility>

#include "absl/time/clock.h"

namespace comments::client {

using ModerationStub = v1::ModerationService::StubInterface;

QueueWatch::QueueWatch(
    std::unique_ptr<grpc::ClientContext> context,
    std::unique_ptr<grpc::ClientReaderInterface<v1::QueueEvent>> reader)
    : context_(std::move(context)), reader_(std::move(reader)) {}

QueueWatch::~QueueWatch() {
  if (finished_) return;
  // A sync stream must be finished before it is destroyed; after the cancel
  // the remaining reads end at once.
  context_->TryCancel();
  v1::QueueEvent ignored;
  while (reader_->Read(&ignored)) {
  }
  reader_->Finish();
}

bool QueueWatch::Next(v1::QueueEvent* event) {
  if (finished_) return false;
  return reader_->Read(event);
}

void QueueWatch::Cancel() { context_->TryCancel(); }

absl::Status QueueWatch::Finish() {
  if (!finished_) {
    status_ = FromGrpcStatus(reader_->Finish());
    finished_ = true;
  }
  return status_;
}

ModerationClient::ModerationClient(
    std::shared_ptr<grpc::ChannelInterface> channel, CallOptions options)
    : channel_(std::move(channel)),
      stub_(v1::ModerationService::NewStub(channel_)),
      options_(std::move(options)) {}

ModerationClient::ModerationClient(std::shared_ptr<ModerationStub> stub,
                                   CallOptions options)
    : stub_(std::move(stub)), options_(std::move(options)) {}

absl::StatusOr<v1::ListQueueResponse> ModerationClient::ListQueue(
    const v1::ListQueueRequest& request) {
  return Unary(*stub_, &ModerationStub::ListQueue, request, options_,
               /*idempotent=*/true, channel_.get());
}

absl::StatusOr<v1::ModeratedComment> ModerationClient::GetModeratedComment(
    std::string_view name) {
  v1::GetModeratedCommentRequest request;
  request.set_name(std::string(name));
  return Unary(*stub_, &ModerationStub::GetModeratedComment, request, options_,
               /*idempotent=*/true, channel_.get());
}

absl::StatusOr<v1::ModeratedComment> ModerationClient::ApproveComment(
    const v1::ApproveCommentRequest& request) {
  return Unary(*stub_, &ModerationStub::ApproveComment, request, options_,
               /*idempotent=*/!request.etag().empty(), channel_.get());
}

absl::StatusOr<v1::ModeratedComment> ModerationClient::RejectComment(
    const v1::RejectCommentRequest& request) {
  return Unary(*stub_, &ModerationStub::RejectComment, request, options_,
               /*idempotent=*/!request.etag().empty(), channel_.get());
}

absl::StatusOr<v1::ModeratedComment> ModerationClient::MarkCommentSpam(
    const v1::MarkCommentSpamRequest& request) {
  return Unary(*stub_, &ModerationStub::MarkCommentSpam, request, options_,
               /*idempotent=*/!request.etag().empty(), channel_.get());
}

absl::StatusOr<v1::BatchModerateCommentsResponse>
ModerationClient::BatchModerateComments(
    const v1::BatchModerateCommentsRequest& request) {
  return Unary(*stub_, &ModerationStub::BatchModerateComments, request,
               options_,
               /*idempotent=*/false, channel_.get());
}

absl::StatusOr<v1::ListModerationEventsResponse>
ModerationClient::ListModerationEvents(
    const v1::ListModerationEventsRequest& request) {
  return Unary(*stub_, &ModerationStub::ListModerationEvents, request, options_,
               /*idempotent=*/true, channel_.get());
}

absl::StatusOr<v1::EraseAuthorDataResponse> ModerationClient::EraseAuthorData(
    const v1::EraseAuthorDataRequest& request) {
  return Unary(*stub_, &ModerationStub::EraseAuthorData, request, options_,
               /*idempotent=*/true, channel_.get());
}

std::unique_ptr<QueueWatch> ModerationClient::WatchQueue(
    const v1::WatchQueueRequest& request, absl::Duration timeout) {
  auto context = std::make_unique<grpc::ClientContext>();
  PrepareContext(options_, absl::Now() + timeout, *context);
  std::unique_ptr<grpc::ClientReaderInterface<v1::QueueEvent>> reader =
      stub_->WatchQueue(context.get(), request);
  return std::make_unique<QueueWatch>(std::move(context), std::move(reader));
}

}  // namespace comments::client
