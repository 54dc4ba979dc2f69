// The public CommentService: what web frontends call. Translation only:
// proto <-> domain values, caller facts from the call's metadata, and
// absl::Status -> grpc::Status; the use cases (app/) decide.
#ifndef COMMENTS_SERVICE_API_COMMENT_SERVICE_H_
#define COMMENTS_SERVICE_API_COMMENT_SERVICE_H_

#include "absl/time/time.h"
#include "comments/v1/comments.grpc.pb.h"
#include "service/app/read_comments.h"
#include "service/app/submit_comment.h"
#include "service/domain/ip_network.h"

namespace comments::api {

struct CommentServiceOptions {
  // Upper bound on any call's database work, whatever deadline it sets.
  absl::Duration max_call_timeout = absl::Seconds(10);
  // Peers whose x-forwarded-for names the reader's address (client_ip.h).
  domain::IpNetworkList trusted_proxies;
};

class CommentServiceImpl final : public v1::CommentService::Service {
 public:
  // The use cases are not owned and must outlive the service.
  CommentServiceImpl(const app::SubmitComment* submit,
                     const app::ReadComments* reads,
                     CommentServiceOptions options);

  grpc::Status CreateComment(grpc::ServerContext* context,
                             const v1::CreateCommentRequest* request,
                             v1::Comment* response) override;
  grpc::Status GetComment(grpc::ServerContext* context,
                          const v1::GetCommentRequest* request,
                          v1::Comment* response) override;
  grpc::Status ListComments(grpc::ServerContext* context,
                            const v1::ListCommentsRequest* request,
                            v1::ListCommentsResponse* response) override;
  grpc::Status CountComments(grpc::ServerContext* context,
                             const v1::CountCommentsRequest* request,
                             v1::CountCommentsResponse* response) override;

 private:
  absl::Time Deadline(const grpc::ServerContext& context) const;

  const app::SubmitComment* submit_;
  const app::ReadComments* reads_;
  const CommentServiceOptions options_;
};

}  // namespace comments::api

#endif  // COMMENTS_SERVICE_API_COMMENT_SERVICE_H_
