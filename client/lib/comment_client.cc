#include "client/lib/comment_client.h"

#include <uuid/uuid.h>

#include <utility>

namespace comments::client {
namespace {

// A random (version 4) UUID: a request id that no retry of another
// submission can share.
std::string NewRequestId() {
  uuid_t raw;
  uuid_generate_random(raw);
  char text[37];
  uuid_unparse_lower(raw, text);
  return std::string(text);
}

}  // namespace

CommentClient::CommentClient(std::shared_ptr<grpc::ChannelInterface> channel,
                             CallOptions options)
    : channel_(std::move(channel)),
      stub_(v1::CommentService::NewStub(channel_)),
      options_(std::move(options)) {}

CommentClient::CommentClient(
    std::shared_ptr<v1::CommentService::StubInterface> stub,
    CallOptions options)
    : stub_(std::move(stub)), options_(std::move(options)) {}

using CommentStub = v1::CommentService::StubInterface;

absl::StatusOr<v1::Comment> CommentClient::CreateComment(
    v1::CreateCommentRequest request) {
  if (request.request_id().empty()) request.set_request_id(NewRequestId());
  return Unary(*stub_, &CommentStub::CreateComment, request, options_,
               /*idempotent=*/true, channel_.get());
}

absl::StatusOr<v1::Comment> CommentClient::GetComment(std::string_view name) {
  v1::GetCommentRequest request;
  request.set_name(std::string(name));
  return Unary(*stub_, &CommentStub::GetComment, request, options_,
               /*idempotent=*/true, channel_.get());
}

absl::StatusOr<v1::ListCommentsResponse> CommentClient::ListComments(
    const v1::ListCommentsRequest& request) {
  return Unary(*stub_, &CommentStub::ListComments, request, options_,
               /*idempotent=*/true, channel_.get());
}

absl::StatusOr<v1::CountCommentsResponse> CommentClient::CountComments(
    const v1::CountCommentsRequest& request) {
  return Unary(*stub_, &CommentStub::CountComments, request, options_,
               /*idempotent=*/true, channel_.get());
}

}  // namespace comments::client
