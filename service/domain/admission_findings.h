// What the checks run inside a submission's transaction found about the
// sender (storage/admission.h), and what that does to the comment.
//
// None of it may change the public answer for someone who guesses an
// address: a body already on the thread is held whoever sends it, and a
// mailbox over its flood limit is only flagged for moderators. The one
// exception is the opt-in trusted-authors rule, which already answers on
// name and address: a comment it approved is held when its mailbox is over
// the limit, so that a trusted address cannot publish a flood.
#ifndef COMMENTS_SERVICE_DOMAIN_ADMISSION_FINDINGS_H_
#define COMMENTS_SERVICE_DOMAIN_ADMISSION_FINDINGS_H_

#include <string>
#include <vector>

#include "service/domain/comment_state.h"

namespace comments::domain {

// Flags stored on comments; stable, like those of moderation_rules.h.
// The same body (case and spacing ignored) is already stored on the thread,
// from any author, in any state.
inline constexpr char kDuplicateFlag[] = "duplicate";
// The author's mailbox (domain/mailbox.h) sent another comment within the
// flood interval.
inline constexpr char kMailboxFloodFlag[] = "mailbox_flood";

struct AdmissionFindings {
  bool duplicate_body = false;
  bool mailbox_over_limit = false;

  bool any() const { return duplicate_body || mailbox_over_limit; }
};

// Adds the findings' flags to a comment that Decide (moderation_rules.h)
// gave `state` and `flags`, and holds it where the header above says.
void ApplyAdmissionFindings(const AdmissionFindings& findings,
                            CommentState* state,
                            std::vector<std::string>* flags);

}  // namespace comments::domain

#endif  // COMMENTS_SERVICE_DOMAIN_ADMISSION_FINDINGS_H_
