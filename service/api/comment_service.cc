#include "service/api/comment_service.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "service/api/client_ip.h"
#include "service/api/comment_mapping.h"
#include "service/api/lookup_keys.h"
#include "service/api/request_context.h"
#include "service/api/status_mapping.h"
#include "service/common/json_log.h"
#include "service/common/uuid.h"
#include "service/domain/error.h"
#include "service/domain/names.h"
#include "service/domain/text.h"

namespace comments::api {
namespace {

// Metadata a web frontend sets to pass on its reader's browser user agent.
constexpr char kReaderUserAgentKey[] = "x-reader-user-agent";
constexpr size_t kMaxUserAgentBytes = 512;

domain::CreateCommentInput ToInput(const v1::CreateCommentRequest& request) {
  domain::CreateCommentInput input;
  input.parent = request.parent();
  input.author_name = request.comment().author_name();
  input.author_email = request.comment().author_email();
  input.author_url = request.comment().author_url();
  input.body = request.comment().body();
  input.reply_to = request.comment().reply_to();
  input.request_id = request.request_id();
  return input;
}

}  // namespace

CommentServiceImpl::CommentServiceImpl(storage::CommentRepository* comments,
                                       const security::EmailCipher* cipher,
                                       const security::KeyedHasher* hasher,
                                       CommentServiceOptions options)
    : comments_(comments),
      cipher_(cipher),
      hasher_(hasher),
      options_(std::move(options)) {}

absl::StatusOr<storage::CreateResult> CommentServiceImpl::Create(
    const grpc::ServerContext& context,
    const v1::CreateCommentRequest& request) {
  const absl::Time deadline = CallDeadline(context, options_.max_call_timeout);
  domain::ValidationResult validation =
      domain::ValidateCreateComment(ToInput(request), options_.limits);
  const domain::ValidComment& valid = validation.comment;
  // The reply target is checked against the database only when the name is
  // well formed, and its violation joins the others in one error.
  if (!valid.reply_to_id.empty() && !valid.thread.empty()) {
    absl::StatusOr<bool> approved = comments_->IsApprovedInThread(
        valid.reply_to_id, valid.thread, deadline);
    if (!approved.ok()) return approved.status();
    if (!*approved) {
      validation.violations.push_back(
          {"comment.reply_to",
           "must name an approved comment of the same thread"});
    }
  }
  if (!validation.ok()) {
    return domain::InvalidArgumentError(domain::ErrorReason::kInvalidComment,
                                        validation.violations);
  }

  storage::NewComment comment;
  comment.id = NewUuid();
  comment.thread = valid.thread;
  comment.author_name = valid.author_name;
  comment.author_url = valid.author_url;
  comment.body = valid.body;
  comment.reply_to_id = valid.reply_to_id;
  comment.state = domain::CommentState::kPending;
  comment.email_ciphertext = cipher_->Encrypt(valid.author_email, comment.id);
  comment.email_hash = AuthorHash(*hasher_, valid.normalized_email);
  comment.client_ip = ClientIp(context, options_.trusted_proxies);
  // Metadata is whatever the caller's proxy passed on: made valid text here,
  // so no header can fail the insert (and the batch it shares).
  comment.user_agent = domain::SanitizeHeaderText(
      MetadataValue(context, kReaderUserAgentKey), kMaxUserAgentBytes);
  comment.request_id = valid.request_id;
  if (!valid.request_id.empty()) {
    RequestFingerprint fingerprint = Fingerprint(*hasher_, valid);
    comment.request_fingerprint = std::move(fingerprint.current);
    comment.older_request_fingerprints = std::move(fingerprint.older);
  }
  if (options_.guard != nullptr) {
    absl::Status guarded = options_.guard->Prepare(valid, deadline, &comment);
    if (!guarded.ok()) return guarded;
  }
  absl::StatusOr<storage::CreateResult> result =
      comments_->Create(comment, deadline);
  if (result.ok() && result->created && options_.guard != nullptr) {
    options_.guard->AfterSubmit(deadline);
  }
  return result;
}

grpc::Status CommentServiceImpl::CreateComment(
    grpc::ServerContext* context, const v1::CreateCommentRequest* request,
    v1::Comment* response) {
  absl::StatusOr<storage::CreateResult> result = Create(*context, *request);
  if (!result.ok()) return ToGrpcStatus(result.status());
  ToPublicComment(result->comment, response);
  // A blocked word must not tell its sender that it was caught: the answer
  // is the one any held comment gets.
  if (response->state() == v1::SPAM) response->set_state(v1::PENDING);
  log::Info(result->created ? "comment created" : "comment create replayed",
            {{"comment", result->comment.id},
             {"thread", result->comment.thread},
             {"state", std::string(domain::StateName(result->comment.state))}});
  return grpc::Status::OK;
}

grpc::Status CommentServiceImpl::GetComment(
    grpc::ServerContext* context, const v1::GetCommentRequest* request,
    v1::Comment* response) {
  std::optional<domain::CommentName> name =
      domain::ParseCommentName(request->name());
  if (!name.has_value()) {
    return ToGrpcStatus(domain::InvalidArgumentError(
        domain::ErrorReason::kInvalidName,
        {{"name", "must be threads/{thread}/comments/{uuid}"}}));
  }
  absl::StatusOr<storage::CommentRecord> record = comments_->Get(
      name->id, CallDeadline(*context, options_.max_call_timeout));
  // Unpublished comments do not exist as far as the public can tell.
  if (record.ok() && (record->thread != name->thread ||
                      record->state != domain::CommentState::kApproved)) {
    record = absl::NotFoundError("comment not found");
  }
  if (!record.ok()) return ToGrpcStatus(record.status());
  ToPublicComment(*record, response);
  return grpc::Status::OK;
}

absl::Status CommentServiceImpl::List(const v1::ListCommentsRequest& request,
                                      absl::Time deadline,
                                      v1::ListCommentsResponse* response) {
  std::optional<std::string> thread = domain::ParseThreadName(request.parent());
  if (!thread.has_value()) {
    return domain::InvalidArgumentError(
        domain::ErrorReason::kInvalidParent,
        {{"parent", "must be threads/{thread}"}});
  }
  if (options_.page_tokens == nullptr) {
    return absl::InternalError("listing without page tokens");
  }
  const std::string query = absl::StrCat("comments:", request.parent());
  absl::StatusOr<domain::Page> page =
      domain::ResolvePage({request.page_size(), request.page_token()}, query,
                          options_.pages, *options_.page_tokens);
  if (!page.ok()) return page.status();
  // One extra row tells whether another page follows.
  absl::StatusOr<std::vector<storage::CommentRecord>> records =
      comments_->ListApproved(*thread, page->after, page->size + 1, deadline);
  if (!records.ok()) return records.status();
  response->set_next_page_token(domain::TrimToPage(
      *records, *page, query, *options_.page_tokens,
      [](const storage::CommentRecord& record) { return record.seq; }));
  for (const storage::CommentRecord& record : *records) {
    ToPublicComment(record, response->add_comments());
  }
  return absl::OkStatus();
}

grpc::Status CommentServiceImpl::ListComments(
    grpc::ServerContext* context, const v1::ListCommentsRequest* request,
    v1::ListCommentsResponse* response) {
  return ToGrpcStatus(List(
      *request, CallDeadline(*context, options_.max_call_timeout), response));
}

grpc::Status CommentServiceImpl::CountComments(
    grpc::ServerContext* context, const v1::CountCommentsRequest* request,
    v1::CountCommentsResponse* response) {
  std::vector<domain::FieldViolation> violations;
  std::vector<std::string> threads;
  if (request->parents_size() == 0) {
    violations.push_back({"parents", "must name at least one thread"});
  } else if (request->parents_size() > options_.max_count_threads) {
    violations.push_back(
        {"parents", absl::StrCat("must name at most ",
                                 options_.max_count_threads, " threads")});
  }
  for (int i = 0; i < request->parents_size(); ++i) {
    std::optional<std::string> thread =
        domain::ParseThreadName(request->parents(i));
    if (!thread.has_value()) {
      violations.push_back(
          {absl::StrCat("parents[", i, "]"), "must be threads/{thread}"});
    } else {
      threads.push_back(*thread);
    }
  }
  if (!violations.empty()) {
    return ToGrpcStatus(domain::InvalidArgumentError(
        domain::ErrorReason::kInvalidParent, violations));
  }
  absl::StatusOr<std::vector<int64_t>> counts = comments_->CountApproved(
      threads, CallDeadline(*context, options_.max_call_timeout));
  if (!counts.ok()) return ToGrpcStatus(counts.status());
  for (size_t i = 0; i < threads.size(); ++i) {
    v1::ThreadCount* count = response->add_counts();
    count->set_parent(request->parents(static_cast<int>(i)));
    count->set_approved_count(i < counts->size() ? (*counts)[i] : 0);
  }
  return grpc::Status::OK;
}

}  // namespace comments::api
