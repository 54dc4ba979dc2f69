// The submission use case: what CreateComment does, without gRPC. One
// entry point runs four named steps:
//   1. Validate: every rule of the comment form (domain/validation.h), and
//      the reply target against the repository, all violations in one
//      INVALID_ARGUMENT;
//   2. Admit: the auto-moderation decision (domain/moderation_rules.h,
//      asking for the author's history only when it can matter) and the
//      flood-control and duplicate checks the insert will run;
//   3. Plan: the complete new comment (comment_planner.h);
//   4. Store: the insert, where those checks run in its transaction
//      (storage/admission.h); a repeated request_id returns the original.
// The decision comes before the plan because the plan is complete: its
// state and flags are part of it.
#ifndef COMMENTS_SERVICE_APP_SUBMIT_COMMENT_H_
#define COMMENTS_SERVICE_APP_SUBMIT_COMMENT_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "service/app/comment_planner.h"
#include "service/app/submission_observer.h"
#include "service/common/clock.h"
#include "service/domain/comment_state.h"
#include "service/domain/flood_control.h"
#include "service/domain/moderation_rules.h"
#include "service/domain/validation.h"
#include "service/security/email_cipher.h"
#include "service/security/keyed_hash.h"
#include "service/storage/comment_repository.h"
#include "service/storage/submission_store.h"

namespace comments::app {

// A reader's submission as the transport received it.
struct SubmissionDraft {
  domain::CreateCommentInput input;
  Caller caller;
};

// The site's auto-moderation and flood-control rules.
struct SubmissionPolicy {
  domain::ModerationRules rules;
  domain::FloodPolicy flood;
};

struct SubmitOptions {
  domain::ValidationLimits limits;
  SubmissionPolicy policy;
};

class SubmitComment {
 public:
  // Dependencies are not owned and must outlive the use case. `observer`
  // hears of every accepted, refused, held and auto-moderated submission,
  // on the caller's thread; by default the log's LoggingSubmissionObserver.
  SubmitComment(storage::CommentRepository* comments,
                storage::SubmissionStore* store,
                const security::EmailCipher* cipher,
                const security::KeyedHasher* hasher, const Clock* clock,
                SubmitOptions options, SubmissionObserver* observer = nullptr);

  // The stored comment as its author may see it, and whether it was created
  // (false: a replayed request_id). A comment sent to SPAM by a blocked
  // word is answered PENDING, as any held comment is, so that its sender
  // cannot learn it was caught. Errors: INVALID_ARGUMENT (reason
  // INVALID_COMMENT) listing every bad field; ALREADY_EXISTS for a reused
  // request_id; RESOURCE_EXHAUSTED when the caller's network is over its
  // limit; UNAVAILABLE / DEADLINE_EXCEEDED from the database.
  absl::StatusOr<storage::CreateResult> Submit(const SubmissionDraft& draft,
                                               absl::Time deadline) const;

  const SubmitOptions& options() const { return options_; }

 private:
  absl::StatusOr<domain::ValidComment> Validate(
      const domain::CreateCommentInput& input, absl::Time deadline) const;
  absl::StatusOr<Admission> Admit(const domain::ValidComment& valid,
                                  const Caller& caller,
                                  absl::Time deadline) const;
  absl::StatusOr<storage::CreateResult> Store(
      const storage::NewComment& comment, absl::Time deadline) const;
  // Tells the observer what became of a submission that passed validation.
  void Report(const absl::StatusOr<storage::CreateResult>& result,
              const domain::ModerationDecision& decision) const;

  storage::CommentRepository* comments_;
  storage::SubmissionStore* store_;
  const security::EmailCipher* cipher_;
  const security::KeyedHasher* hasher_;
  const Clock* clock_;
  const SubmitOptions options_;
  SubmissionObserver* observer_;
};

}  // namespace comments::app

#endif  // COMMENTS_SERVICE_APP_SUBMIT_COMMENT_H_
