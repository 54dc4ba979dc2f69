#include "service/domain/admission_findings.h"

#include <algorithm>

#include "service/domain/moderation_rules.h"

namespace comments::domain {

void ApplyAdmissionFindings(const AdmissionFindings& findings,
                            CommentState* state,
                            std::vector<std::string>* flags) {
  if (findings.duplicate_body) flags->push_back(kDuplicateFlag);
  if (findings.mailbox_over_limit) flags->push_back(kMailboxFloodFlag);
  if (*state != CommentState::kApproved) return;
  const auto trusted =
      std::find(flags->begin(), flags->end(), kTrustedAuthorFlag);
  const bool trust_approved = trusted != flags->end();
  if (findings.duplicate_body ||
      (findings.mailbox_over_limit && trust_approved)) {
    *state = CommentState::kPending;
    // The flag means "trust approved it", which it no longer did.
    if (trust_approved) flags->erase(trusted);
  }
}

}  // namespace comments::domain
