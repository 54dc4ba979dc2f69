// The create path's plan: one function builds the complete comment to
// insert, so that no later step (nor storage) fills in a field of it.
// Storage only runs the planned admission checks in the insert's
// transaction, where what they find is applied by the domain's rule
// (domain/admission_findings.h).
#ifndef COMMENTS_SERVICE_APP_COMMENT_PLANNER_H_
#define COMMENTS_SERVICE_APP_COMMENT_PLANNER_H_

#include <string>

#include "service/domain/moderation_rules.h"
#include "service/domain/validation.h"
#include "service/security/email_cipher.h"
#include "service/security/keyed_hash.h"
#include "service/storage/admission_check.h"
#include "service/storage/comment_record.h"

namespace comments::app {

// What the transport knows about the caller, already made safe to store.
struct Caller {
  // The reader's address after trusted proxies (api/client_ip.h); empty
  // when the transport has none.
  std::string client_ip;
  // The reader's browser user agent, as valid text of bounded length.
  std::string user_agent;
};

// What the admit step settled: the auto-moderation decision
// (domain/moderation_rules.h decides it) and the flood-control and
// duplicate checks that the insert's transaction runs.
struct Admission {
  domain::ModerationDecision decision;
  storage::AdmissionCheck checks;
};

// The complete new comment `id` from a validated draft: its fields, the
// state and flags of `admission.decision`, the email encrypted (with `id`
// as associated data) and keyed-hashed (security/lookup_keys.h), the body
// hash, the request fingerprint when a request_id was sent, the admission
// checks, and the caller's address and user agent.
storage::NewComment PlanComment(std::string id,
                                const domain::ValidComment& valid,
                                const Caller& caller, Admission admission,
                                const security::EmailCipher& cipher,
                                const security::KeyedHasher& hasher);

}  // namespace comments::app

#endif  // COMMENTS_SERVICE_APP_COMMENT_PLANNER_H_
