#include "bench/callers.h"

#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "bench/client_addresses.h"
#include "client/lib/comment_client.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/client_context.h"

namespace comments::bench {
namespace {

std::string ErrorLabel(const absl::Status& status) {
  return absl::StatusCodeToString(status.code());
}

// Each caller draws its own threads: no generator is shared across threads.
std::mt19937_64 SeededRandom() {
  std::random_device device;
  return std::mt19937_64((uint64_t{device()} << 32) | device());
}

}  // namespace

Call MakeCreateCall(std::shared_ptr<grpc::Channel> channel,
                    const client::CallOptions& options,
                    const CreateShape& shape, const std::string& run_id,
                    int caller) {
  const std::string tag = absl::StrCat(run_id, ".", caller);
  std::optional<DistinctPublicIpv4> addresses;
  if (shape.distinct_client_ips) {
    // The run id (NewRunId: eight hex digits) salts the run's addresses; any
    // other id salts them with zero.
    uint32_t salt = 0;
    if (!absl::SimpleHexAtoi(run_id, &salt)) salt = 0;
    addresses.emplace(salt, caller, shape.callers);
  }
  auto client = std::make_shared<client::CommentClient>(channel, options);
  return [channel, options, client, threads = shape.threads, tag, addresses,
          random = SeededRandom(), sequence = int64_t{0}]() mutable {
    ++sequence;
    v1::CreateCommentRequest request;
    request.set_parent(absl::StrCat("threads/", threads.Pick(random)));
    v1::CommentDraft& draft = *request.mutable_comment();
    draft.set_author_name("Benchmark Reader");
    draft.set_author_email(
        absl::StrCat("reader.", tag, ".", sequence, "@bench.example.org"));
    draft.set_body(absl::StrCat("Benchmark comment ", sequence, " of caller ",
                                tag,
                                ": a short opinion about the article, the "
                                "length of a typical reader comment."));
    // The library adds a request_id, as it does for every frontend.
    absl::StatusOr<v1::Comment> created;
    if (addresses.has_value()) {
      // A frontend's client is a cheap value: one per reader request, with
      // that reader's address.
      client::CallOptions forwarded = options;
      forwarded.metadata.emplace_back("x-forwarded-for", addresses->Next());
      created = client::CommentClient(channel, std::move(forwarded))
                    .CreateComment(std::move(request));
    } else {
      created = client->CreateComment(std::move(request));
    }
    return created.ok() ? std::string() : ErrorLabel(created.status());
  };
}

Call MakeListCall(std::shared_ptr<grpc::Channel> channel,
                  const client::CallOptions& options, const ThreadSet& threads,
                  int page_size) {
  auto client =
      std::make_shared<client::CommentClient>(std::move(channel), options);
  return [client, threads, page_size, random = SeededRandom()]() mutable {
    v1::ListCommentsRequest request;
    request.set_parent(absl::StrCat("threads/", threads.Pick(random)));
    request.set_page_size(page_size);
    absl::StatusOr<v1::ListCommentsResponse> page =
        client->ListComments(request);
    if (!page.ok()) return ErrorLabel(page.status());
    return page->comments_size() < page_size ? std::string("SHORT_PAGE")
                                             : std::string();
  };
}

Call MakeCountCall(std::shared_ptr<grpc::Channel> channel,
                   const client::CallOptions& options, const ThreadSet& threads,
                   int parents, int64_t min_approved) {
  auto client =
      std::make_shared<client::CommentClient>(std::move(channel), options);
  return [client, threads, parents, min_approved,
          random = SeededRandom()]() mutable {
    v1::CountCommentsRequest request;
    for (const std::string& thread : threads.Sample(parents, random)) {
      request.add_parents(absl::StrCat("threads/", thread));
    }
    absl::StatusOr<v1::CountCommentsResponse> answer =
        client->CountComments(request);
    if (!answer.ok()) return ErrorLabel(answer.status());
    if (answer->counts_size() != parents) return std::string("WRONG_COUNT");
    for (int i = 0; i < parents; ++i) {
      const v1::ThreadCount& count = answer->counts(i);
      if (count.parent() != request.parents(i) ||
          count.approved_count() < min_approved) {
        return std::string("WRONG_COUNT");
      }
    }
    return std::string();
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
