// Auto-moderation and abuse resistance for CreateComment: decides the state
// and flags a new comment starts with (domain/moderation_rules.h) and
// attaches the flood-control and duplicate checks its insert runs
// (storage/admission.h). The handler translates; this decides.
#ifndef COMMENTS_SERVICE_API_SUBMISSION_GUARD_H_
#define COMMENTS_SERVICE_API_SUBMISSION_GUARD_H_

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "service/common/clock.h"
#include "service/domain/flood_control.h"
#include "service/domain/moderation_rules.h"
#include "service/domain/validation.h"
#include "service/security/keyed_hash.h"
#include "service/storage/comment_record.h"
#include "service/storage/submission_store.h"

namespace comments::api {

struct SubmissionPolicy {
  domain::ModerationRules rules;
  domain::FloodPolicy flood;
};

class SubmissionGuard {
 public:
  // Dependencies are not owned and must outlive the guard.
  SubmissionGuard(storage::SubmissionStore* store,
                  const security::KeyedHasher* hasher, const Clock* clock,
                  SubmissionPolicy policy);

  // Sets the state, flags, body hash and admission checks of `comment`,
  // whose other fields (email_hash and client_ip included) are filled from
  // `valid`. Fails only when the author's history cannot be read. Nothing
  // decided here refuses a comment: limits and duplicates are checked in
  // the insert's transaction (storage/admission.h), and only the caller's
  // own network can be refused there.
  absl::Status Prepare(const domain::ValidComment& valid, absl::Time deadline,
                       storage::NewComment* comment) const;

  // Housekeeping after a submission: forgets flood-control rows that can no
  // longer limit anyone, at most once a minute per replica. Failures are
  // logged, never returned: the comment is already stored.
  void AfterSubmit(absl::Time deadline);

  const SubmissionPolicy& policy() const { return policy_; }

 private:
  storage::SubmissionStore* store_;
  const security::KeyedHasher* hasher_;
  const Clock* clock_;
  const SubmissionPolicy policy_;
  absl::Mutex mu_;
  absl::Time next_prune_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
};

}  // namespace comments::api

#endif  // COMMENTS_SERVICE_API_SUBMISSION_GUARD_H_
