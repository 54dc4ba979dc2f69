// Rows of the comments table as the rest of the service sees them.
#ifndef COMMENTS_SERVICE_STORAGE_COMMENT_RECORD_H_
#define COMMENTS_SERVICE_STORAGE_COMMENT_RECORD_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "service/domain/comment_state.h"
#include "service/storage/admission_check.h"

namespace comments::storage {

struct CommentRecord {
  int64_t seq = 0;  // insertion order; the page-token position
  std::string id;
  std::string thread;
  std::string author_name;
  std::string author_url;
  std::string body;
  std::string reply_to_id;  // empty when not a reply
  domain::CommentState state = domain::CommentState::kPending;
  // Moderator-only data. email_ciphertext is empty once erased.
  std::string email_ciphertext;
  std::string client_ip;
  std::string user_agent;
  std::vector<std::string> flags;
  int64_t version = 1;
  absl::Time create_time;
  absl::Time update_time;
};

// A comment to insert. Every field is already validated and, for the email,
// encrypted and hashed.
struct NewComment {
  std::string id;
  std::string thread;
  std::string author_name;
  std::string author_url;
  std::string body;
  std::string reply_to_id;
  domain::CommentState state = domain::CommentState::kPending;
  std::string email_ciphertext;
  std::string email_hash;
  std::string client_ip;
  std::string user_agent;
  std::vector<std::string> flags;
  std::string request_id;           // empty when the caller sent none
  std::string request_fingerprint;  // keyed hash of the draft
  // The same fingerprint under the older hash keys, which a request stored
  // before a key rotation was fingerprinted with.
  std::vector<std::string> older_request_fingerprints;
  // Keyed hash of the body's DuplicateForm (domain/text_fold.h); empty for
  // none.
  std::string body_hash;
  // Flood control and duplicate detection, run in the insert's transaction
  // (storage/admission.h); unset for comments that bypass them.
  std::optional<AdmissionCheck> admission;
};

}  // namespace comments::storage

#endif  // COMMENTS_SERVICE_STORAGE_COMMENT_RECORD_H_
