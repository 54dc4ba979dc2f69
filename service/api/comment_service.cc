#include "service/api/comment_service.h"

#include <string>
#include <utility>
#include <vector>

#include "service/api/client_ip.h"
#include "service/api/comment_mapping.h"
#include "service/api/request_context.h"
#include "service/api/status_mapping.h"
#include "service/domain/text.h"

namespace comments::api {
namespace {

// Metadata a web frontend sets to pass on its reader's browser user agent.
constexpr char kReaderUserAgentKey[] = "x-reader-user-agent";
constexpr size_t kMaxUserAgentBytes = 512;

app::SubmissionDraft ToDraft(const grpc::ServerContext& context,
                             const v1::CreateCommentRequest& request,
                             const domain::IpNetworkList& trusted_proxies) {
  app::SubmissionDraft draft;
  draft.input = ToCreateCommentInput(request);
  draft.caller.client_ip = ClientIp(context, trusted_proxies);
  // Metadata is whatever the caller's proxy passed on: made valid text here,
  // so no header can fail the insert (and the batch it shares).
  draft.caller.user_agent = domain::SanitizeHeaderText(
      MetadataValue(context, kReaderUserAgentKey), kMaxUserAgentBytes);
  return draft;
}

}  // namespace

CommentServiceImpl::CommentServiceImpl(const app::SubmitComment* submit,
                                       const app::ReadComments* reads,
                                       CommentServiceOptions options)
    : submit_(submit), reads_(reads), options_(std::move(options)) {}

absl::Time CommentServiceImpl::Deadline(
    const grpc::ServerContext& context) const {
  return CallDeadline(context, options_.max_call_timeout);
}

grpc::Status CommentServiceImpl::CreateComment(
    grpc::ServerContext* context, const v1::CreateCommentRequest* request,
    v1::Comment* response) {
  absl::StatusOr<storage::CreateResult> result =
      submit_->Submit(ToDraft(*context, *request, options_.trusted_proxies),
                      Deadline(*context));
  if (!result.ok()) return ToGrpcStatus(result.status());
  ToPublicComment(result->comment, response);
  return grpc::Status::OK;
}

grpc::Status CommentServiceImpl::GetComment(
    grpc::ServerContext* context, const v1::GetCommentRequest* request,
    v1::Comment* response) {
  absl::StatusOr<storage::CommentRecord> record =
      reads_->Get(request->name(), Deadline(*context));
  if (!record.ok()) return ToGrpcStatus(record.status());
  ToPublicComment(*record, response);
  return grpc::Status::OK;
}

grpc::Status CommentServiceImpl::ListComments(
    grpc::ServerContext* context, const v1::ListCommentsRequest* request,
    v1::ListCommentsResponse* response) {
  absl::StatusOr<app::CommentPage> page =
      reads_->List(request->parent(), request->page_size(),
                   request->page_token(), Deadline(*context));
  if (!page.ok()) return ToGrpcStatus(page.status());
  for (const storage::CommentRecord& record : page->comments) {
    ToPublicComment(record, response->add_comments());
  }
  response->set_next_page_token(std::move(page->next_page_token));
  return grpc::Status::OK;
}

grpc::Status CommentServiceImpl::CountComments(
    grpc::ServerContext* context, const v1::CountCommentsRequest* request,
    v1::CountCommentsResponse* response) {
  const std::vector<std::string> parents(request->parents().begin(),
                                         request->parents().end());
  absl::StatusOr<std::vector<int64_t>> counts =
      reads_->Count(parents, Deadline(*context));
  if (!counts.ok()) return ToGrpcStatus(counts.status());
  for (size_t i = 0; i < parents.size(); ++i) {
    v1::ThreadCount* count = response->add_counts();
    count->set_parent(parents[i]);
    count->set_approved_count((*counts)[i]);
  }
  return grpc::Status::OK;
}

}  // namespace comments::api
