#include "service/app/moderate_comments.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "service/domain/error.h"
#include "service/domain/names.h"
#include "service/domain/text.h"
#include "service/security/lookup_keys.h"

namespace comments::app {
namespace {

// The size of the pages a watch reads the existing queue in.
constexpr int kExistingPageSize = 100;

constexpr char kNameProblem[] = "must be threads/{thread}/comments/{uuid}";
constexpr char kParentProblem[] =
    "must be threads/{thread}, or empty for every thread";

// Parses a comment name into `out`, or records a violation for `field`.
bool ParseName(std::string_view name, std::string field,
               std::vector<domain::FieldViolation>* violations,
               domain::CommentName* out) {
  std::optional<domain::CommentName> parsed = domain::ParseCommentName(name);
  if (!parsed.has_value()) {
    violations->push_back({std::move(field), kNameProblem});
    return false;
  }
  *out = *std::move(parsed);
  return true;
}

storage::Transition TransitionOf(const ModeratorCaller& caller,
                                 const domain::CommentName& name,
                                 domain::ModerationAction action,
                                 const std::string& reason) {
  storage::Transition transition;
  transition.comment_id = name.id;
  transition.thread = name.thread;
  transition.action = action;
  transition.moderator = caller.moderator;
  transition.reason = reason;
  return transition;
}

// Records a violation of `reason` unless domain::ReasonProblem accepts it.
void CheckReason(std::string_view reason,
                 std::vector<domain::FieldViolation>* violations) {
  if (std::optional<std::string> problem = domain::ReasonProblem(reason)) {
    violations->push_back({"reason", *std::move(problem)});
  }
}

CommentModerated Moderated(const ModeratorCaller& caller,
                           const storage::ModeratedRecord& record,
                           domain::ModerationAction action) {
  return {caller.moderator, record.comment.id, record.comment.thread, action,
          record.comment.state};
}

}  // namespace

absl::StatusOr<std::string> ParseThreadFilter(std::string_view parent) {
  if (parent.empty()) return std::string();
  std::optional<std::string> thread = domain::ParseThreadName(parent);
  if (!thread.has_value()) {
    return domain::InvalidArgumentError(domain::ErrorReason::kInvalidParent,
                                        {{"parent", kParentProblem}});
  }
  return *std::move(thread);
}

ModerateComments::ModerateComments(storage::ModerationRepository* moderation,
                                   const security::KeyedHasher* hasher,
                                   ModerationObserver* observer,
                                   ModerateCommentsOptions options)
    : moderation_(moderation),
      hasher_(hasher),
      observer_(observer),
      options_(std::move(options)) {}

absl::StatusOr<domain::Page> ModerateComments::ResolvePage(
    const domain::PageRequest& request, std::string_view token_query) const {
  if (options_.page_tokens == nullptr) {
    return absl::InternalError("listing without page tokens");
  }
  return domain::ResolvePage(request, token_query, options_.pages,
                             *options_.page_tokens);
}

// ---- The queue -------------------------------------------------------------

absl::StatusOr<QueueListingPage> ModerateComments::ListQueue(
    const ModeratorCaller& caller, const QueueListing& listing) {
  std::vector<domain::FieldViolation> violations;
  storage::QueueQuery query;
  if (listing.unknown_state) {
    violations.push_back(
        {"state", "must be PENDING, APPROVED, REJECTED or SPAM"});
  } else if (listing.state.has_value()) {
    query.state = *listing.state;
  }
  absl::StatusOr<std::string> thread = ParseThreadFilter(listing.parent);
  if (!thread.ok()) violations.push_back({"parent", kParentProblem});
  if (!violations.empty()) {
    return domain::InvalidArgumentError(
        domain::ErrorReason::kInvalidQueueRequest, violations);
  }
  query.thread = *thread;
  // Every parameter that shapes the listing, so a token serves only it.
  const std::string token_query =
      absl::StrCat("queue:", std::string(domain::StateName(query.state)), ":",
                   listing.parent);
  absl::StatusOr<domain::Page> page = ResolvePage(listing.page, token_query);
  if (!page.ok()) return page.status();
  query.after_seq = page->after;
  query.limit = page->size + 1;  // one more tells whether a page follows
  absl::StatusOr<storage::QueuePage> result =
      moderation_->ListQueue(query, caller.deadline);
  if (!result.ok()) return result.status();
  QueueListingPage out;
  out.next_page_token = domain::TrimToPage(
      result->comments, *page, token_query, *options_.page_tokens,
      [](const storage::ModeratedRecord& record) {
        return record.comment.seq;
      });
  out.comments = std::move(result->comments);
  out.total_size = result->total_size;
  return out;
}

absl::StatusOr<storage::ModeratedRecord> ModerateComments::Get(
    const ModeratorCaller& caller, std::string_view name) {
  std::vector<domain::FieldViolation> violations;
  domain::CommentName parsed;
  if (!ParseName(name, "name", &violations, &parsed)) {
    return domain::InvalidArgumentError(domain::ErrorReason::kInvalidName,
                                        violations);
  }
  return moderation_->Get(parsed.id, parsed.thread, caller.deadline);
}

// ---- Decisions -------------------------------------------------------------

absl::StatusOr<storage::ModeratedRecord> ModerateComments::Decide(
    const ModeratorCaller& caller, const Decision& decision) {
  std::vector<domain::FieldViolation> violations;
  domain::CommentName name;
  ParseName(decision.name, "name", &violations, &name);
  absl::StatusOr<std::optional<int64_t>> version =
      domain::ParseEtag(decision.etag, "etag");
  if (!version.ok()) {
    violations.push_back({"etag", "must be an etag returned by this service"});
  }
  CheckReason(decision.reason, &violations);
  if (!violations.empty()) {
    return domain::InvalidArgumentError(domain::ErrorReason::kInvalidDecision,
                                        violations);
  }
  storage::Transition transition =
      TransitionOf(caller, name, decision.action, decision.reason);
  transition.expected_version = *version;
  absl::StatusOr<storage::ModeratedRecord> record =
      moderation_->Apply(transition, caller.deadline);
  if (!record.ok()) return record.status();
  observer_->OnCommentModerated(Moderated(caller, *record, decision.action));
  return record;
}

absl::StatusOr<BatchResults> ModerateComments::Batch(
    const ModeratorCaller& caller, const BatchDecision& batch) {
  std::vector<domain::FieldViolation> violations;
  const int requested = static_cast<int>(batch.names.size());
  if (requested == 0) {
    violations.push_back({"names", "must name at least one comment"});
  } else if (requested > options_.max_batch_names) {
    violations.push_back(
        {"names", absl::StrCat("must name at most ", options_.max_batch_names,
                               " comments")});
  }
  if (!batch.action.has_value()) {
    violations.push_back({"action", "must be APPROVE, REJECT or MARK_SPAM"});
  }
  CheckReason(batch.reason, &violations);
  if (!violations.empty()) {
    return domain::InvalidArgumentError(domain::ErrorReason::kInvalidBatch,
                                        violations);
  }

  // One transaction for the batch; a comment's failure (bad name, illegal
  // transition) changes nothing else.
  BatchResults results(requested, absl::UnknownError("not applied"));
  std::vector<storage::Transition> transitions;
  std::vector<int> result_of;  // transition index -> index into results
  for (int i = 0; i < requested; ++i) {
    std::vector<domain::FieldViolation> name_violations;
    domain::CommentName name;
    if (!ParseName(batch.names[i], absl::StrCat("names[", i, "]"),
                   &name_violations, &name)) {
      results[i] = domain::InvalidArgumentError(
          domain::ErrorReason::kInvalidName, name_violations);
      continue;
    }
    transitions.push_back(
        TransitionOf(caller, name, *batch.action, batch.reason));
    result_of.push_back(i);
  }
  if (!transitions.empty()) {
    absl::StatusOr<BatchResults> applied =
        moderation_->ApplyBatch(transitions, caller.deadline);
    if (!applied.ok()) return applied.status();  // nothing was changed
    for (size_t j = 0; j < applied->size() && j < result_of.size(); ++j) {
      results[result_of[j]] = std::move((*applied)[j]);
    }
  }

  int changed = 0;
  for (const absl::StatusOr<storage::ModeratedRecord>& record : results) {
    if (!record.ok()) continue;
    ++changed;
    observer_->OnCommentModerated(Moderated(caller, *record, *batch.action));
  }
  observer_->OnBatchModerated(
      {caller.moderator, *batch.action, requested, changed});
  return results;
}

// ---- The audit trail and erasure -------------------------------------------

absl::StatusOr<EventPage> ModerateComments::ListEvents(
    const ModeratorCaller& caller, const EventListing& listing) {
  std::vector<domain::FieldViolation> violations;
  domain::CommentName name;
  if (!listing.comment.empty()) {
    ParseName(listing.comment, "comment", &violations, &name);
  }
  if (!violations.empty()) {
    return domain::InvalidArgumentError(domain::ErrorReason::kInvalidName,
                                        violations);
  }
  const std::string token_query = absl::StrCat("events:", listing.comment);
  absl::StatusOr<domain::Page> page = ResolvePage(listing.page, token_query);
  if (!page.ok()) return page.status();
  absl::StatusOr<std::vector<storage::ModerationEventRecord>> events =
      moderation_->ListEvents(name.id, name.thread, page->after, page->size + 1,
                              caller.deadline);
  if (!events.ok()) return events.status();
  EventPage out;
  out.next_page_token = domain::TrimToPage(
      *events, *page, token_query, *options_.page_tokens,
      [](const storage::ModerationEventRecord& event) { return event.id; });
  out.events = *std::move(events);
  return out;
}

absl::StatusOr<int64_t> ModerateComments::EraseAuthorData(
    const ModeratorCaller& caller, const ErasureRequest& request) {
  const std::string& raw = request.author_email;
  const std::string_view email = domain::IsValidUtf8(raw)
                                     ? domain::TrimWhitespace(raw)
                                     : std::string_view();
  if (email.empty() || !domain::IsValidEmail(email, options_.limits)) {
    // The message never repeats the address.
    return domain::InvalidArgumentError(
        domain::ErrorReason::kInvalidEmail,
        {{"author_email", "must be a valid email address"}});
  }
  storage::Erasure erasure = security::AuthorErasure(*hasher_, email);
  erasure.delete_comments = request.delete_comments;
  erasure.moderator = caller.moderator;
  absl::StatusOr<int64_t> affected =
      moderation_->Erase(erasure, caller.deadline);
  if (!affected.ok()) return affected.status();
  observer_->OnAuthorDataErased(
      {caller.moderator, *affected, request.delete_comments});
  return affected;
}

// ---- Watching --------------------------------------------------------------

absl::StatusOr<std::string> ModerateComments::WatchedThread(
    std::string_view parent) const {
  return ParseThreadFilter(parent);
}

absl::StatusOr<ExistingQueuePage> ModerateComments::ExistingQueue(
    std::string_view thread, int64_t after_seq, absl::Time deadline) {
  storage::QueueQuery query;
  query.thread = std::string(thread);
  query.after_seq = after_seq;
  query.limit = kExistingPageSize;
  absl::StatusOr<storage::QueuePage> page =
      moderation_->ListQueue(query, deadline);
  if (!page.ok()) return page.status();
  ExistingQueuePage out;
  if (static_cast<int>(page->comments.size()) == query.limit) {
    out.next_after = page->comments.back().comment.seq;
  }
  out.comments = std::move(page->comments);
  return out;
}

}  // namespace comments::app
