#include "service/app/comment_planner.h"

#include <utility>

#include "service/security/lookup_keys.h"

namespace comments::app {

storage::NewComment PlanComment(std::string id,
                                const domain::ValidComment& valid,
                                const Caller& caller, Admission admission,
                                const security::EmailCipher& cipher,
                                const security::KeyedHasher& hasher) {
  storage::NewComment comment;
  comment.email_ciphertext = cipher.Encrypt(valid.author_email, id);
  comment.id = std::move(id);
  comment.thread = valid.thread;
  comment.author_name = valid.author_name;
  comment.author_url = valid.author_url;
  comment.body = valid.body;
  comment.reply_to_id = valid.reply_to_id;
  comment.state = admission.decision.state;
  comment.flags = std::move(admission.decision.flags);
  comment.email_hash = security::AuthorHash(hasher, valid.normalized_email);
  comment.client_ip = caller.client_ip;
  comment.user_agent = caller.user_agent;
  comment.request_id = valid.request_id;
  if (!valid.request_id.empty()) {
    security::KeyedHashes fingerprint = security::Fingerprint(hasher, valid);
    comment.request_fingerprint = std::move(fingerprint.current);
    comment.older_request_fingerprints = std::move(fingerprint.older);
  }
  comment.body_hash = security::BodyHash(hasher, valid.body);
  comment.admission = std::move(admission.checks);
  return comment;
}

}  // namespace comments::app
