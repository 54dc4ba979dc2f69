#include "tests/fuzz/validation_invariants.h"

#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "absl/strings/ascii.h"
#include "service/domain/names.h"
#include "service/domain/text.h"
#include "tests/fuzz/fuzz_check.h"

namespace comments::fuzz {
namespace {

bool IsCleanText(std::string_view text) {
  return domain::IsValidUtf8(text) && text.find('\0') == std::string_view::npos;
}

void CheckAccepted(const domain::CreateCommentInput& input,
                   const domain::ValidationLimits& limits,
                   const domain::ValidComment& comment) {
  // parent
  FUZZ_CHECK(domain::ParseThreadName(input.parent) == comment.thread);
  // author_name: trimmed, normalised, within its limit, one clean line.
  FUZZ_CHECK(IsCleanText(comment.author_name));
  FUZZ_CHECK(!comment.author_name.empty());
  FUZZ_CHECK(domain::CountCodePoints(comment.author_name) <=
             limits.author_name_max_chars);
  FUZZ_CHECK(!domain::HasControlOrFormatChars(comment.author_name));
  FUZZ_CHECK(!domain::HasLineOrParagraphSeparator(comment.author_name));
  FUZZ_CHECK(domain::TrimWhitespace(comment.author_name) ==
             comment.author_name);
  // author_email: the trimmed input, valid, within both octet limits.
  FUZZ_CHECK(comment.author_email ==
             domain::TrimWhitespace(input.author_email));
  FUZZ_CHECK(domain::IsValidEmail(comment.author_email, limits));
  FUZZ_CHECK(comment.author_email.size() <=
             static_cast<size_t>(limits.email_max_octets));
  FUZZ_CHECK(comment.author_email.find('@') <=
             static_cast<size_t>(limits.email_local_part_max_octets));
  FUZZ_CHECK(comment.normalized_email ==
             domain::NormalizeEmail(comment.author_email));
  // author_url: optional; when given, an http(s) URL within its limit
  // without white space or control characters.
  FUZZ_CHECK(comment.author_url == domain::TrimWhitespace(input.author_url));
  if (!comment.author_url.empty()) {
    FUZZ_CHECK(domain::CountCodePoints(comment.author_url) <=
               limits.author_url_max_chars);
    FUZZ_CHECK(!domain::HasControlOrWhitespaceChars(comment.author_url));
    const std::string scheme =
        absl::AsciiStrToLower(comment.author_url.substr(0, 8));
    FUZZ_CHECK(scheme.rfind("http://", 0) == 0 ||
               scheme.rfind("https://", 0) == 0);
  }
  // body: byte for byte, within both limits once trimmed.
  FUZZ_CHECK(comment.body == input.body);
  FUZZ_CHECK(IsCleanText(comment.body));
  const int body_chars =
      domain::CountCodePoints(domain::TrimWhitespace(comment.body));
  FUZZ_CHECK(body_chars >= limits.body_min_chars);
  FUZZ_CHECK(body_chars <= limits.body_max_chars);
  // reply_to and request_id: optional lower-case UUIDs.
  if (input.reply_to.empty()) {
    FUZZ_CHECK(comment.reply_to_id.empty());
  } else {
    std::optional<domain::CommentName> name =
        domain::ParseCommentName(input.reply_to);
    FUZZ_CHECK(name.has_value() && name->thread == comment.thread);
    FUZZ_CHECK(domain::IsValidUuid(comment.reply_to_id));
  }
  if (input.request_id.empty()) {
    FUZZ_CHECK(comment.request_id.empty());
  } else {
    FUZZ_CHECK(comment.request_id == absl::AsciiStrToLower(input.request_id));
    FUZZ_CHECK(domain::IsValidUuid(comment.request_id));
  }
}

void CheckRefused(const domain::CreateCommentInput& input,
                  const domain::ValidationResult& result) {
  static const std::set<std::string>* const kFields =
      new std::set<std::string>{"parent",
                                "comment.author_name",
                                "comment.author_email",
                                "comment.author_url",
                                "comment.body",
                                "comment.reply_to",
                                "request_id"};
  // Descriptions end up in logs and errors: the address must never be in
  // them. Only addresses with an '@' are looked for, so that an input such
  // as "must" cannot match the wording itself.
  const std::string_view email = domain::TrimWhitespace(input.author_email);
  const bool look_for_email = email.find('@') != std::string_view::npos;
  for (const domain::FieldViolation& violation : result.violations) {
    FUZZ_CHECK(kFields->count(violation.field) == 1);
    FUZZ_CHECK(!violation.description.empty());
    if (look_for_email) {
      FUZZ_CHECK(violation.description.find(email) == std::string::npos);
    }
  }
}

}  // namespace

void CheckValidation(const domain::CreateCommentInput& input,
                     const domain::ValidationLimits& limits) {
  const domain::ValidationResult result =
      domain::ValidateCreateComment(input, limits);
  if (result.ok()) {
    CheckAccepted(input, limits, result.comment);
  } else {
    CheckRefused(input, result);
  }
  // The same input always gets the same answer.
  const domain::ValidationResult again =
      domain::ValidateCreateComment(input, limits);
  FUZZ_CHECK(again.violations == result.violations);
}

const domain::ValidationLimits& DefaultLimits() {
  static const domain::ValidationLimits* const limits =
      new domain::ValidationLimits();
  return *limits;
}

const domain::ValidationLimits& TightLimits() {
  static const domain::ValidationLimits* const limits =
      new domain::ValidationLimits{/*author_name_max_chars=*/4,
                                   /*body_min_chars=*/2,
                                   /*body_max_chars=*/12,
                                   /*author_url_max_chars=*/24,
                                   /*email_local_part_max_octets=*/6,
                                   /*email_max_octets=*/16};
  return *limits;
}

}  // namespace comments::fuzz
