#include "bench/callers.h"

#include <cstdint>
#include <random>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "client/lib/comment_client.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/client_context.h"

namespace comments::bench {
namespace {

std::string ErrorLabel(const absl::Status& status) {
  return absl::StatusCodeToString(status.code());
}

}  // namespace

Call MakeCreateCall(std::shared_ptr<grpc::Channel> channel,
                    const client::CallOptions& options,
                    const std::string& thread, const std::string& run_id,
                    int caller) {
  auto client =
      std::make_shared<client::CommentClient>(std::move(channel), options);
  const std::string parent = absl::StrCat("threads/", thread);
  const std::string tag = absl::StrCat(run_id, ".", caller);
  return [client, parent, tag, sequence = int64_t{0}]() mutable {
    ++sequence;
    v1::CreateCommentRequest request;
    request.set_parent(parent);
    v1::CommentDraft& draft = *request.mutable_comment();
    draft.set_author_name("Benchmark Reader");
    draft.set_author_email(
        absl::StrCat("reader.", tag, ".", sequence, "@bench.example.org"));
    draft.set_body(absl::StrCat("Benchmark comment ", sequence, " of caller ",
                                tag,
                                ": a short opinion about the article, the "
                                "length of a typical reader comment."));
    // The library adds a request_id, as it does for every frontend.
    absl::StatusOr<v1::Comment> created =
        client->CreateComment(std::move(request));
    return created.ok() ? std::string() : ErrorLabel(created.status());
  };
}

Call MakeListCall(std::shared_ptr<grpc::Channel> channel,
                  const client::CallOptions& options, const std::string& thread,
                  int page_size) {
  auto client =
      std::make_shared<client::CommentClient>(std::move(channel), options);
  v1::ListCommentsRequest request;
  request.set_parent(absl::StrCat("threads/", thread));
  request.set_page_size(page_size);
  return [client, request, page_size]() {
    absl::StatusOr<v1::ListCommentsResponse> page =
        client->ListComments(request);
    if (!page.ok()) return ErrorLabel(page.status());
    return page->comments_size() < page_size ? std::string("SHORT_PAGE")
                                             : std::string();
  };
}

Call MakeHealthCall(std::shared_ptr<grpc::Channel> channel,
                    absl::Duration timeout) {
  std::shared_ptr<grpc::health::v1::Health::Stub> stub =
      grpc::health::v1::Health::NewStub(std::move(channel));
  return [stub, timeout]() {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
    grpc::health::v1::HealthCheckRequest request;
    grpc::health::v1::HealthCheckResponse response;
    const grpc::Status status = stub->Check(&context, request, &response);
    if (!status.ok()) return ErrorLabel(client::FromGrpcStatus(status));
    return response.status() == grpc::health::v1::HealthCheckResponse::SERVING
               ? std::string()
               : std::string("NOT_SERVING");
  };
}

std::string NewRunId() {
  std::random_device random;
  return absl::StrFormat("%08x", random());
}

}  // namespace comments::bench
