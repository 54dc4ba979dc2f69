#include "service/app/submit_comment.h"

#include <string>
#include <utility>

#include "service/common/json_log.h"
#include "service/common/uuid.h"
#include "service/domain/error.h"
#include "service/security/lookup_keys.h"

namespace comments::app {

void LogSubmission(const SubmissionEvent& event) {
  log::Info(event.created ? "comment created" : "comment create replayed",
            {{"comment", event.comment_id},
             {"thread", event.thread},
             {"state", std::string(domain::StateName(event.state))}});
}

SubmitComment::SubmitComment(storage::CommentRepository* comments,
                             storage::SubmissionStore* store,
                             const security::EmailCipher* cipher,
                             const security::KeyedHasher* hasher,
                             const Clock* clock, SubmitOptions options,
                             SubmissionListener listener)
    : comments_(comments),
      store_(store),
      cipher_(cipher),
      hasher_(hasher),
      clock_(clock),
      options_(std::move(options)),
      listener_(std::move(listener)) {}

absl::StatusOr<domain::ValidComment> SubmitComment::Validate(
    const domain::CreateCommentInput& input, absl::Time deadline) const {
  domain::ValidationResult validation =
      domain::ValidateCreateComment(input, options_.limits);
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
  return std::move(validation.comment);
}

absl::StatusOr<Admission> SubmitComment::Admit(
    const domain::ValidComment& valid, const Caller& caller,
    absl::Time deadline) const {
  const SubmissionPolicy& policy = options_.policy;
  const domain::ContentFindings findings = domain::InspectContent(
      policy.rules, {valid.author_name, valid.author_url, valid.body});
  int64_t approved_by_author = 0;
  if (domain::NeedsAuthorHistory(policy.rules, findings)) {
    absl::StatusOr<int64_t> count = store_->CountApprovedByAuthor(
        security::AuthorHashes(*hasher_, valid.normalized_email),
        valid.author_name, deadline);
    if (!count.ok()) return count.status();
    approved_by_author = *count;
  }
  Admission admission;
  admission.decision =
      domain::Decide(policy.rules, findings, approved_by_author);
  // Nothing here refuses a comment: the checks run in the insert's
  // transaction, and only the caller's own network can be refused there.
  storage::AdmissionCheck& checks = admission.checks;
  checks.clock = clock_;
  checks.policy = policy.flood;
  checks.mailbox = security::MailboxLimit(*hasher_, valid.normalized_email);
  checks.body_hashes = security::BodyHashes(*hasher_, valid.body);
  // The network row is shared by every reader behind one network: with both
  // of its limits off, locking it would only serialise their submissions.
  const bool network_limited =
      policy.flood.min_interval > absl::ZeroDuration() ||
      policy.flood.bucket_burst > 0;
  if (network_limited) {
    checks.network =
        security::NetworkLimit(*hasher_, caller.client_ip, policy.flood);
  }
  return admission;
}

absl::StatusOr<storage::CreateResult> SubmitComment::Store(
    const storage::NewComment& comment, absl::Time deadline) const {
  return comments_->Create(comment, deadline);
}

absl::StatusOr<storage::CreateResult> SubmitComment::Submit(
    const SubmissionDraft& draft, absl::Time deadline) const {
  absl::StatusOr<domain::ValidComment> valid = Validate(draft.input, deadline);
  if (!valid.ok()) return valid.status();
  absl::StatusOr<Admission> admission = Admit(*valid, draft.caller, deadline);
  if (!admission.ok()) return admission.status();
  const storage::NewComment comment =
      PlanComment(NewUuid(), *valid, draft.caller, *std::move(admission),
                  *cipher_, *hasher_);
  absl::StatusOr<storage::CreateResult> result = Store(comment, deadline);
  if (!result.ok()) return result.status();
  if (listener_) {
    listener_({result->comment.id, result->comment.thread,
               result->comment.state, result->created});
  }
  if (result->comment.state == domain::CommentState::kSpam) {
    result->comment.state = domain::CommentState::kPending;
  }
  return result;
}

}  // namespace comments::app
