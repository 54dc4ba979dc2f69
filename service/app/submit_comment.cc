#include "service/app/submit_comment.h"

#include <algorithm>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "service/common/uuid.h"
#include "service/domain/admission_findings.h"
#include "service/domain/error.h"
#include "service/domain/moderation_rules.h"
#include "service/security/lookup_keys.h"

namespace comments::app {
namespace {

SubmissionObserver* DefaultObserver() {
  static LoggingSubmissionObserver* const kLog =
      new LoggingSubmissionObserver();
  return kLog;
}

bool HasFlag(const std::vector<std::string>& flags, std::string_view flag) {
  return std::find(flags.begin(), flags.end(), flag) != flags.end();
}

}  // namespace

SubmitComment::SubmitComment(storage::CommentRepository* comments,
                             storage::SubmissionStore* store,
                             const security::EmailCipher* cipher,
                             const security::KeyedHasher* hasher,
                             const Clock* clock, SubmitOptions options,
                             SubmissionObserver* observer)
    : comments_(comments),
      store_(store),
      cipher_(cipher),
      hasher_(hasher),
      clock_(clock),
      options_(std::move(options)),
      observer_(observer != nullptr ? observer : DefaultObserver()) {}

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
  // The mailbox has an interval only; without one its row would be
  // written for nothing.
  if (policy.flood.min_interval > absl::ZeroDuration()) {
    checks.mailbox = security::MailboxLimit(*hasher_, valid.normalized_email);
  }
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

void SubmitComment::Report(const absl::StatusOr<storage::CreateResult>& result,
                           const domain::ModerationDecision& decision) const {
  if (!result.ok()) {
    if (domain::GetErrorFacts(result.status()).reason ==
        domain::ErrorReason::kRateLimited) {
      observer_->OnRefused({});
    }
    return;
  }
  const storage::CommentRecord& stored = result->comment;
  observer_->OnAccepted(
      {stored.id, stored.thread, stored.state, result->created});
  // A replay was reported when it was first stored.
  if (!result->created) return;
  for (const char* rule : {domain::kDuplicateFlag, domain::kMailboxFloodFlag}) {
    if (HasFlag(stored.flags, rule)) observer_->OnHeld({rule, stored.state});
  }
  bool any_rule = false;
  for (const char* rule :
       {domain::kBlockedWordFlag, domain::kHoldWordFlag, domain::kLinksFlag,
        domain::kConfusableNameFlag, domain::kTrustedAuthorFlag}) {
    if (HasFlag(decision.flags, rule)) {
      observer_->OnVerdict({rule, decision.state});
      any_rule = true;
    }
  }
  if (!any_rule) observer_->OnVerdict({kModeRule, decision.state});
}

absl::StatusOr<storage::CreateResult> SubmitComment::Submit(
    const SubmissionDraft& draft, absl::Time deadline) const {
  absl::StatusOr<domain::ValidComment> valid = Validate(draft.input, deadline);
  if (!valid.ok()) return valid.status();
  absl::StatusOr<Admission> admission = Admit(*valid, draft.caller, deadline);
  if (!admission.ok()) return admission.status();
  const domain::ModerationDecision decision = admission->decision;
  const storage::NewComment comment =
      PlanComment(NewUuid(), *valid, draft.caller, *std::move(admission),
                  *cipher_, *hasher_);
  absl::StatusOr<storage::CreateResult> result = Store(comment, deadline);
  Report(result, decision);
  if (!result.ok()) return result.status();
  if (result->comment.state == domain::CommentState::kSpam) {
    result->comment.state = domain::CommentState::kPending;
  }
  return result;
}

}  // namespace comments::app
