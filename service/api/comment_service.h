// The public CommentService: what web frontends call.
#ifndef COMMENTS_SERVICE_API_COMMENT_SERVICE_H_
#define COMMENTS_SERVICE_API_COMMENT_SERVICE_H_

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "comments/v1/comments.grpc.pb.h"
#include "service/api/submission_guard.h"
#include "service/domain/ip_network.h"
#include "service/domain/page_token.h"
#include "service/domain/validation.h"
#include "service/security/email_cipher.h"
#include "service/security/keyed_hash.h"
#include "service/storage/comment_repository.h"

namespace comments::api {

struct CommentServiceOptions {
  domain::ValidationLimits limits;
  domain::PageLimits pages;
  // Seals and opens ListComments page tokens; not owned. Required for
  // ListComments, which fails without one.
  const domain::PageTokenCodec* page_tokens = nullptr;
  // Upper bound on any call's database work, whatever deadline it sets.
  absl::Duration max_call_timeout = absl::Seconds(10);
  int max_count_threads = 100;
  // Peers whose x-forwarded-for names the reader's address (client_ip.h).
  domain::IpNetworkList trusted_proxies;
  // Auto-moderation and flood control of CreateComment; not owned. Without
  // one every comment is stored PENDING, unchecked (tests of other parts).
  SubmissionGuard* guard = nullptr;
};

class CommentServiceImpl final : public v1::CommentService::Service {
 public:
  // Dependencies are not owned and must outlive the service.
  CommentServiceImpl(storage::CommentRepository* comments,
                     const security::EmailCipher* cipher,
                     const security::KeyedHasher* hasher,
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
  absl::StatusOr<storage::CreateResult> Create(
      const grpc::ServerContext& context,
      const v1::CreateCommentRequest& request);
  absl::Status List(const v1::ListCommentsRequest& request, absl::Time deadline,
                    v1::ListCommentsResponse* response);

  storage::CommentRepository* comments_;
  const security::EmailCipher* cipher_;
  const security::KeyedHasher* hasher_;
  const CommentServiceOptions options_;
};

}  // namespace comments::api

#endif  // COMMENTS_SERVICE_API_COMMENT_SERVICE_H_
