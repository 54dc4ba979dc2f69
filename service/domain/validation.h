// Validation of a submitted comment: every rule of the comment form, all
// violations of one request reported together.
#ifndef COMMENTS_SERVICE_DOMAIN_VALIDATION_H_
#define COMMENTS_SERVICE_DOMAIN_VALIDATION_H_

#include <string>
#include <vector>

#include "service/domain/error.h"

namespace comments::domain {

// Limits of the comment form. Defaults are the product's; sites may change
// them through configuration.
struct ValidationLimits {
  int author_name_max_chars = 64;
  int body_min_chars = 3;
  int body_max_chars = 10000;
  int author_url_max_chars = 2048;
  int email_local_part_max_octets = 64;
  int email_max_octets = 254;
};

// What the caller sent, field by field, as in CreateCommentRequest.
struct CreateCommentInput {
  std::string parent;  // threads/{thread}
  std::string author_name;
  std::string author_email;
  std::string author_url;
  std::string body;
  std::string reply_to;    // threads/{thread}/comments/{id}, or empty
  std::string request_id;  // UUID, or empty
};

// The input after validation, normalised for storage.
struct ValidComment {
  std::string thread;            // the slug
  std::string author_name;       // trimmed, NFC
  std::string author_email;      // trimmed, as typed
  std::string normalized_email;  // trimmed and lower-cased: the lookup key
  std::string author_url;        // trimmed; empty when not given
  std::string body;              // exactly as sent
  std::string reply_to_id;       // lower-case UUID, or empty
  std::string request_id;        // lower-case UUID, or empty
};

struct ValidationResult {
  // Filled as far as the input allows; meaningful only when ok().
  ValidComment comment;
  // Every rule broken, in field order. Field paths are those of
  // CreateCommentRequest: "parent", "comment.author_name",
  // "comment.author_email", "comment.author_url", "comment.body",
  // "comment.reply_to", "request_id".
  std::vector<FieldViolation> violations;

  bool ok() const { return violations.empty(); }
};

ValidationResult ValidateCreateComment(const CreateCommentInput& input,
                                       const ValidationLimits& limits);

// The HTML5 "valid email address" syntax plus the octet limits. Exposed for
// the erasure request, which takes an email too. `email` is checked as is:
// trim it first.
bool IsValidEmail(std::string_view email, const ValidationLimits& limits);

// ASCII lower-case of a trimmed address: the form keyed hashes are made of.
std::string NormalizeEmail(std::string_view email);

}  // namespace comments::domain

#endif  // COMMENTS_SERVICE_DOMAIN_VALIDATION_H_
