// The site rules the submission tests start from, shared by the unit tests
// of the use case and the in-process tests over PostgreSQL.
#ifndef COMMENTS_TESTS_SUPPORT_SUBMISSION_POLICIES_H_
#define COMMENTS_TESTS_SUPPORT_SUBMISSION_POLICIES_H_

#include "absl/time/time.h"
#include "service/app/submit_comment.h"

namespace comments::testing {

// `mode`, "casino" blocked, "lawsuit" held, and no flood limit: each test
// turns on the limits it is about.
inline app::SubmissionPolicy NoFloodPolicy(
    domain::ModerationMode mode = domain::ModerationMode::kPreModeration) {
  app::SubmissionPolicy policy;
  policy.rules.mode = mode;
  policy.rules.blocked_words = *domain::WordList::Create({"casino"});
  policy.rules.hold_words = *domain::WordList::Create({"lawsuit"});
  policy.flood.min_interval = absl::ZeroDuration();
  policy.flood.bucket_burst = 0;
  return policy;
}

}  // namespace comments::testing

#endif  // COMMENTS_TESTS_SUPPORT_SUBMISSION_POLICIES_H_
