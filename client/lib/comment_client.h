// Client of the public CommentService, for web frontends and tools.
//
// Every call has a deadline and returns absl::Status/StatusOr; nothing
// throws. Reads are retried on UNAVAILABLE. CreateComment is retried too,
// because it always carries a request_id (one is made when the caller gave
// none), so a retry returns the original comment instead of a duplicate.
#ifndef COMMENTS_CLIENT_LIB_COMMENT_CLIENT_H_
#define COMMENTS_CLIENT_LIB_COMMENT_CLIENT_H_

#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "client/lib/call_support.h"
#include "comments/v1/comments.grpc.pb.h"

namespace comments::client {

class CommentClient {
 public:
  CommentClient(std::shared_ptr<grpc::ChannelInterface> channel,
                CallOptions options = {});
  // For tests: any stub, e.g. a generated mock.
  CommentClient(std::shared_ptr<v1::CommentService::StubInterface> stub,
                CallOptions options = {});

  absl::StatusOr<v1::Comment> CreateComment(v1::CreateCommentRequest request);
  absl::StatusOr<v1::Comment> GetComment(std::string_view name);
  absl::StatusOr<v1::ListCommentsResponse> ListComments(
      const v1::ListCommentsRequest& request);
  absl::StatusOr<v1::CountCommentsResponse> CountComments(
      const v1::CountCommentsRequest& request);

  const CallOptions& options() const { return options_; }

 private:
  // Null when made from a stub.
  std::shared_ptr<grpc::ChannelInterface> channel_;
  std::shared_ptr<v1::CommentService::StubInterface> stub_;
  CallOptions options_;
};

}  // namespace comments::client

#endif  // COMMENTS_CLIENT_LIB_COMMENT_CLIENT_H_
