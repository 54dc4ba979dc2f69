#include "service/api/submission_guard.h"

#include <string>
#include <utility>

#include "service/api/lookup_keys.h"
#include "service/common/json_log.h"

namespace comments::api {
namespace {

constexpr absl::Duration kPruneEvery = absl::Minutes(1);
// Enough for a busy site between two prunes; more waits for the next one.
constexpr int kPruneBatch = 5000;

}  // namespace

SubmissionGuard::SubmissionGuard(storage::SubmissionStore* store,
                                 const security::KeyedHasher* hasher,
                                 const Clock* clock, SubmissionPolicy policy)
    : store_(store),
      hasher_(hasher),
      clock_(clock),
      policy_(std::move(policy)) {}

absl::Status SubmissionGuard::Prepare(const domain::ValidComment& valid,
                                      absl::Time deadline,
                                      storage::NewComment* comment) const {
  const domain::ContentFindings findings = domain::InspectContent(
      policy_.rules, {valid.author_name, valid.author_url, valid.body});
  int64_t approved_by_author = 0;
  if (domain::NeedsAuthorHistory(policy_.rules, findings)) {
    absl::StatusOr<int64_t> count = store_->CountApprovedByAuthor(
        AuthorHashes(*hasher_, valid.normalized_email), valid.author_name,
        deadline);
    if (!count.ok()) return count.status();
    approved_by_author = *count;
  }
  domain::ModerationDecision decision =
      domain::Decide(policy_.rules, findings, approved_by_author);
  comment->state = decision.state;
  comment->flags = std::move(decision.flags);
  comment->body_hash = BodyHash(*hasher_, valid.body);

  storage::AdmissionCheck check;
  check.clock = clock_;
  check.policy = policy_.flood;
  check.mailbox = MailboxLimit(*hasher_, valid.normalized_email);
  check.body_hashes = BodyHashes(*hasher_, valid.body);
  // The network row is shared by every reader behind one network: with both
  // of its limits off, locking it would only serialise their submissions.
  const bool network_limited =
      policy_.flood.min_interval > absl::ZeroDuration() ||
      policy_.flood.bucket_burst > 0;
  if (network_limited) {
    check.network = NetworkLimit(*hasher_, comment->client_ip, policy_.flood);
  }
  comment->admission = std::move(check);
  return absl::OkStatus();
}

void SubmissionGuard::AfterSubmit(absl::Time deadline) {
  const absl::Time now = clock_->Now();
  {
    absl::MutexLock lock(&mu_);
    if (now < next_prune_) return;
    next_prune_ = now + kPruneEvery;
  }
  absl::StatusOr<int64_t> pruned = store_->PruneLimits(
      now - domain::ForgetAfter(policy_.flood), kPruneBatch, deadline);
  if (!pruned.ok()) {
    log::Warning("flood-control pruning failed",
                 {{"code", absl::StatusCodeToString(pruned.status().code())}});
  } else if (*pruned > 0) {
    log::Debug("flood-control rows pruned", {{"rows", *pruned}});
  }
}

}  // namespace comments::api
