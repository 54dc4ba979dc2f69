#include "service/api/moderation_service.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "service/api/comment_mapping.h"
#include "service/api/lookup_keys.h"
#include "service/api/moderation_mapping.h"
#include "service/api/moderator_call.h"
#include "service/api/request_context.h"
#include "service/api/status_mapping.h"
#include "service/common/json_log.h"
#include "service/domain/error.h"
#include "service/domain/names.h"
#include "service/domain/text.h"

namespace comments::api {
namespace {

// Parses a comment name into `out`, or records a violation for `field`.
bool ParseName(std::string_view name, std::string field,
               std::vector<domain::FieldViolation>* violations,
               domain::CommentName* out) {
  std::optional<domain::CommentName> parsed = domain::ParseCommentName(name);
  if (!parsed.has_value()) {
    violations->push_back(
        {std::move(field), "must be threads/{thread}/comments/{uuid}"});
    return false;
  }
  *out = *std::move(parsed);
  return true;
}

void LogDecision(const std::string& moderator,
                 const storage::ModeratedRecord& record,
                 domain::ModerationAction action) {
  log::Info("comment moderated",
            {{"comment", record.comment.id},
             {"thread", record.comment.thread},
             {"action", std::string(domain::ActionName(action))},
             {"state", std::string(domain::StateName(record.comment.state))},
             {"moderator", moderator}});
}

}  // namespace

ModerationServiceImpl::ModerationServiceImpl(
    storage::ModerationRepository* moderation,
    const ModeratorAuthenticator* authenticator,
    const security::EmailCipher* cipher, const security::KeyedHasher* hasher,
    QueueWatchHub* hub, WorkQueue* work, ModerationServiceOptions options)
    : moderation_(moderation),
      authenticator_(authenticator),
      cipher_(cipher),
      hasher_(hasher),
      watch_({moderation, authenticator, hub, work, options.max_call_timeout}),
      options_(std::move(options)) {}

grpc::Status ModerationServiceImpl::Serve(const grpc::ServerContext& context,
                                          ModeratorHandler handler) const {
  return ServeModeratorCall(*authenticator_, context, options_.max_call_timeout,
                            handler);
}

// ---- The queue -------------------------------------------------------------

absl::Status ModerationServiceImpl::List(const ModeratorCall& call,
                                         const v1::ListQueueRequest& request,
                                         v1::ListQueueResponse* response) {
  std::vector<domain::FieldViolation> violations;
  storage::QueueQuery query;
  if (request.state() != v1::COMMENT_STATE_UNSPECIFIED) {
    std::optional<domain::CommentState> state = FromProto(request.state());
    if (!state.has_value()) {
      violations.push_back(
          {"state", "must be PENDING, APPROVED, REJECTED or SPAM"});
    } else {
      query.state = *state;
    }
  }
  absl::StatusOr<std::string> thread = ParseThreadFilter(request.parent());
  if (!thread.ok()) {
    violations.push_back(
        {"parent", "must be threads/{thread}, or empty for every thread"});
  }
  if (!violations.empty()) {
    return domain::InvalidArgumentError(
        domain::ErrorReason::kInvalidQueueRequest, violations);
  }
  if (options_.page_tokens == nullptr) {
    return absl::InternalError("listing without page tokens");
  }
  query.thread = *thread;
  const std::string listing =
      absl::StrCat("queue:", std::string(domain::StateName(query.state)), ":",
                   request.parent());
  absl::StatusOr<domain::Page> page =
      domain::ResolvePage({request.page_size(), request.page_token()}, listing,
                          options_.pages, *options_.page_tokens);
  if (!page.ok()) return page.status();
  query.after_seq = page->after;
  query.limit = page->size + 1;  // one more tells whether a page follows
  absl::StatusOr<storage::QueuePage> result =
      moderation_->ListQueue(query, call.deadline);
  if (!result.ok()) return result.status();
  response->set_next_page_token(domain::TrimToPage(
      result->comments, *page, listing, *options_.page_tokens,
      [](const storage::ModeratedRecord& record) {
        return record.comment.seq;
      }));
  for (const storage::ModeratedRecord& record : result->comments) {
    ToModeratedComment(record, *cipher_, response->add_comments());
  }
  response->set_total_size(result->total_size);
  return absl::OkStatus();
}

grpc::Status ModerationServiceImpl::ListQueue(
    grpc::ServerContext* context, const v1::ListQueueRequest* request,
    v1::ListQueueResponse* response) {
  return Serve(*context, [&](const ModeratorCall& call) {
    return List(call, *request, response);
  });
}

absl::Status ModerationServiceImpl::Get(
    const ModeratorCall& call, const v1::GetModeratedCommentRequest& request,
    v1::ModeratedComment* response) {
  std::vector<domain::FieldViolation> violations;
  domain::CommentName name;
  if (!ParseName(request.name(), "name", &violations, &name)) {
    return domain::InvalidArgumentError(domain::ErrorReason::kInvalidName,
                                        violations);
  }
  absl::StatusOr<storage::ModeratedRecord> record =
      moderation_->Get(name.id, name.thread, call.deadline);
  if (!record.ok()) return record.status();
  ToModeratedComment(*record, *cipher_, response);
  return absl::OkStatus();
}

grpc::Status ModerationServiceImpl::GetModeratedComment(
    grpc::ServerContext* context, const v1::GetModeratedCommentRequest* request,
    v1::ModeratedComment* response) {
  return Serve(*context, [&](const ModeratorCall& call) {
    return Get(call, *request, response);
  });
}

// ---- Decisions -------------------------------------------------------------

absl::Status ModerationServiceImpl::Decide(const ModeratorCall& call,
                                           const Decision& decision,
                                           v1::ModeratedComment* out) {
  std::vector<domain::FieldViolation> violations;
  domain::CommentName name;
  ParseName(decision.name, "name", &violations, &name);
  absl::StatusOr<std::optional<int64_t>> version =
      domain::ParseEtag(decision.etag, "etag");
  if (!version.ok()) {
    violations.push_back({"etag", "must be an etag returned by this service"});
  }
  if (std::optional<std::string> problem =
          domain::ReasonProblem(decision.reason)) {
    violations.push_back({"reason", *std::move(problem)});
  }
  if (!violations.empty()) {
    return domain::InvalidArgumentError(domain::ErrorReason::kInvalidDecision,
                                        violations);
  }

  storage::Transition transition;
  transition.comment_id = name.id;
  transition.thread = name.thread;
  transition.action = decision.action;
  transition.moderator = call.moderator.name;
  transition.reason = decision.reason;
  transition.expected_version = *version;
  absl::StatusOr<storage::ModeratedRecord> record =
      moderation_->Apply(transition, call.deadline);
  if (!record.ok()) return record.status();
  LogDecision(call.moderator.name, *record, decision.action);
  ToModeratedComment(*record, *cipher_, out);
  return absl::OkStatus();
}

grpc::Status ModerationServiceImpl::ApproveComment(
    grpc::ServerContext* context, const v1::ApproveCommentRequest* request,
    v1::ModeratedComment* response) {
  return Serve(*context, [&](const ModeratorCall& call) {
    return Decide(call,
                  {domain::ModerationAction::kApprove, request->name(),
                   request->etag(), ""},
                  response);
  });
}

grpc::Status ModerationServiceImpl::RejectComment(
    grpc::ServerContext* context, const v1::RejectCommentRequest* request,
    v1::ModeratedComment* response) {
  return Serve(*context, [&](const ModeratorCall& call) {
    return Decide(call,
                  {domain::ModerationAction::kReject, request->name(),
                   request->etag(), request->reason()},
                  response);
  });
}

grpc::Status ModerationServiceImpl::MarkCommentSpam(
    grpc::ServerContext* context, const v1::MarkCommentSpamRequest* request,
    v1::ModeratedComment* response) {
  return Serve(*context, [&](const ModeratorCall& call) {
    return Decide(call,
                  {domain::ModerationAction::kMarkSpam, request->name(),
                   request->etag(), ""},
                  response);
  });
}

absl::Status ModerationServiceImpl::Batch(
    const ModeratorCall& call, const v1::BatchModerateCommentsRequest& request,
    v1::BatchModerateCommentsResponse* response) {
  // Problems of the request as a whole fail it; a bad name fails only its
  // own result.
  std::vector<domain::FieldViolation> violations;
  if (request.names_size() == 0) {
    violations.push_back({"names", "must name at least one comment"});
  } else if (request.names_size() > options_.max_batch_names) {
    violations.push_back(
        {"names", absl::StrCat("must name at most ", options_.max_batch_names,
                               " comments")});
  }
  const std::optional<domain::ModerationAction> action =
      DecisionFromProto(request.action());
  if (!action.has_value()) {
    violations.push_back({"action", "must be APPROVE, REJECT or MARK_SPAM"});
  }
  if (std::optional<std::string> problem =
          domain::ReasonProblem(request.reason())) {
    violations.push_back({"reason", *std::move(problem)});
  }
  if (!violations.empty()) {
    return domain::InvalidArgumentError(domain::ErrorReason::kInvalidBatch,
                                        violations);
  }

  // One transaction for the batch; a comment's failure (bad name, illegal
  // transition) changes nothing else. Results keep the request's order.
  std::vector<absl::StatusOr<storage::ModeratedRecord>> records(
      request.names_size(), absl::UnknownError("not applied"));
  std::vector<storage::Transition> transitions;
  std::vector<int> transition_of;  // index into records
  for (int i = 0; i < request.names_size(); ++i) {
    std::vector<domain::FieldViolation> name_violations;
    domain::CommentName name;
    if (!ParseName(request.names(i), absl::StrCat("names[", i, "]"),
                   &name_violations, &name)) {
      records[i] = domain::InvalidArgumentError(
          domain::ErrorReason::kInvalidName, name_violations);
      continue;
    }
    storage::Transition& transition = transitions.emplace_back();
    transition.comment_id = name.id;
    transition.thread = name.thread;
    transition.action = *action;
    transition.moderator = call.moderator.name;
    transition.reason = request.reason();
    transition_of.push_back(i);
  }
  if (!transitions.empty()) {
    auto applied = moderation_->ApplyBatch(transitions, call.deadline);
    if (!applied.ok()) return applied.status();  // nothing was changed
    for (size_t j = 0; j < applied->size(); ++j) {
      records[transition_of[j]] = std::move((*applied)[j]);
    }
  }

  int changed = 0;
  for (int i = 0; i < request.names_size(); ++i) {
    v1::BatchModerateCommentsResponse::Result* result = response->add_results();
    result->set_name(request.names(i));
    const absl::StatusOr<storage::ModeratedRecord>& record = records[i];
    *result->mutable_status() = ToRpcStatus(record.status());
    if (record.ok()) {
      ++changed;
      LogDecision(call.moderator.name, *record, *action);
      ToModeratedComment(*record, *cipher_, result->mutable_comment());
    }
  }
  log::Info("batch moderated",
            {{"action", std::string(domain::ActionName(*action))},
             {"requested", request.names_size()},
             {"changed", changed},
             {"moderator", call.moderator.name}});
  return absl::OkStatus();
}

grpc::Status ModerationServiceImpl::BatchModerateComments(
    grpc::ServerContext* context,
    const v1::BatchModerateCommentsRequest* request,
    v1::BatchModerateCommentsResponse* response) {
  return Serve(*context, [&](const ModeratorCall& call) {
    return Batch(call, *request, response);
  });
}

// ---- Watching --------------------------------------------------------------

grpc::ServerWriteReactor<v1::QueueEvent>* ModerationServiceImpl::WatchQueue(
    grpc::CallbackServerContext* context,
    const v1::WatchQueueRequest* request) {
  return QueueWatchReactor::Start(context, request, watch_);
}

// ---- The audit trail and erasure -------------------------------------------

absl::Status ModerationServiceImpl::Events(
    const ModeratorCall& call, const v1::ListModerationEventsRequest& request,
    v1::ListModerationEventsResponse* response) {
  std::vector<domain::FieldViolation> violations;
  domain::CommentName name;
  if (!request.comment().empty()) {
    ParseName(request.comment(), "comment", &violations, &name);
  }
  if (!violations.empty()) {
    return domain::InvalidArgumentError(domain::ErrorReason::kInvalidName,
                                        violations);
  }
  if (options_.page_tokens == nullptr) {
    return absl::InternalError("listing without page tokens");
  }
  const std::string listing = absl::StrCat("events:", request.comment());
  absl::StatusOr<domain::Page> page =
      domain::ResolvePage({request.page_size(), request.page_token()}, listing,
                          options_.pages, *options_.page_tokens);
  if (!page.ok()) return page.status();
  absl::StatusOr<std::vector<storage::ModerationEventRecord>> events =
      moderation_->ListEvents(name.id, name.thread, page->after, page->size + 1,
                              call.deadline);
  if (!events.ok()) return events.status();
  response->set_next_page_token(domain::TrimToPage(
      *events, *page, listing, *options_.page_tokens,
      [](const storage::ModerationEventRecord& event) { return event.id; }));
  for (const storage::ModerationEventRecord& event : *events) {
    ToModerationEvent(event, response->add_events());
  }
  return absl::OkStatus();
}

grpc::Status ModerationServiceImpl::ListModerationEvents(
    grpc::ServerContext* context,
    const v1::ListModerationEventsRequest* request,
    v1::ListModerationEventsResponse* response) {
  return Serve(*context, [&](const ModeratorCall& call) {
    return Events(call, *request, response);
  });
}

absl::Status ModerationServiceImpl::Erase(
    const ModeratorCall& call, const v1::EraseAuthorDataRequest& request,
    v1::EraseAuthorDataResponse* response) {
  const std::string& raw = request.author_email();
  const std::string_view email = domain::IsValidUtf8(raw)
                                     ? domain::TrimWhitespace(raw)
                                     : std::string_view();
  if (email.empty() || !domain::IsValidEmail(email, options_.limits)) {
    // The message never repeats the address.
    return domain::InvalidArgumentError(
        domain::ErrorReason::kInvalidEmail,
        {{"author_email", "must be a valid email address"}});
  }
  storage::Erasure erasure = AuthorErasure(*hasher_, email);
  erasure.delete_comments = request.delete_comments();
  erasure.moderator = call.moderator.name;
  absl::StatusOr<int64_t> affected = moderation_->Erase(erasure, call.deadline);
  if (!affected.ok()) return affected.status();
  response->set_affected_comments(*affected);
  log::Info("author data erased", {{"affected_comments", *affected},
                                   {"deleted", request.delete_comments()},
                                   {"moderator", call.moderator.name}});
  return absl::OkStatus();
}

grpc::Status ModerationServiceImpl::EraseAuthorData(
    grpc::ServerContext* context, const v1::EraseAuthorDataRequest* request,
    v1::EraseAuthorDataResponse* response) {
  return Serve(*context, [&](const ModeratorCall& call) {
    return Erase(call, *request, response);
  });
}

}  // namespace comments::api
