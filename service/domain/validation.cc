#include "service/domain/validation.h"

#include <optional>
#include <string_view>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "re2/re2.h"
#include "service/domain/names.h"
#include "service/domain/text.h"
#include "uriparser/Uri.h"

namespace comments::domain {
namespace {

// Field paths of CreateCommentRequest, as the caller sees them.
constexpr char kParentField[] = "parent";
constexpr char kAuthorNameField[] = "comment.author_name";
constexpr char kAuthorEmailField[] = "comment.author_email";
constexpr char kAuthorUrlField[] = "comment.author_url";
constexpr char kBodyField[] = "comment.body";
constexpr char kReplyToField[] = "comment.reply_to";
constexpr char kRequestIdField[] = "request_id";

// A description of what is wrong with one field, or nothing. Descriptions
// never quote the submitted value: they end up in logs and error messages,
// and an email address must not.
using Problem = std::optional<std::string>;

constexpr char kRequired[] = "is required";
constexpr char kNotHttpUrl[] = "must be an absolute http or https URL";

// The bytes themselves: checked first for every field, because the other
// rules assume well-formed UTF-8, and storage would cut a string at its
// first NUL.
Problem EncodingProblem(std::string_view value) {
  if (!IsValidUtf8(value)) return "must be valid UTF-8";
  if (value.find('\0') != std::string_view::npos) {
    return "must not contain NUL bytes";
  }
  return std::nullopt;
}

// The WHATWG "valid email address" production
// (https://html.spec.whatwg.org/#valid-e-mail-address), which deliberately
// accepts less than RFC 5322 does: no quoted local parts, no comments, no IP
// literals.
const re2::RE2& EmailPattern() {
  static const re2::RE2* const pattern = new re2::RE2(
      R"re([a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+)re"
      R"re(@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)re"
      R"re((?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*)re");
  return *pattern;
}

Problem EmailProblem(std::string_view email, const ValidationLimits& limits) {
  // Lengths first: they are cheap, and they give the caller a more useful
  // description than the syntax rule would.
  const size_t at = email.find('@');
  if (at != std::string_view::npos &&
      at > static_cast<size_t>(limits.email_local_part_max_octets)) {
    return absl::StrCat("local part must be at most ",
                        limits.email_local_part_max_octets, " octets");
  }
  if (email.size() > static_cast<size_t>(limits.email_max_octets)) {
    return absl::StrCat("must be at most ", limits.email_max_octets, " octets");
  }
  if (!re2::RE2::FullMatch(re2::StringPiece(email.data(), email.size()),
                           EmailPattern())) {
    return "must be a valid email address";
  }
  return std::nullopt;
}

bool EqualsIgnoringAsciiCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (absl::ascii_tolower(static_cast<unsigned char>(a[i])) !=
        absl::ascii_tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

std::string_view UriRange(const UriTextRangeA& text) {
  if (text.first == nullptr || text.afterLast == nullptr) {
    return std::string_view();
  }
  return std::string_view(text.first,
                          static_cast<size_t>(text.afterLast - text.first));
}

// An explicit port must be 1-65535, as browsers read it (leading zeros
// allowed); an empty one (RFC 3986 allows "host:") means the default.
bool IsValidPort(std::string_view port) {
  if (port.empty()) return true;
  int value = 0;
  for (char c : port) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
    value = value * 10 + (c - '0');
    if (value > 65535) return false;  // before it can overflow
  }
  return value >= 1;
}

// What is wrong with a website, or nothing. Only an absolute http or https
// URI with a host can be shown as a link without becoming a script or an
// inline document.
Problem UrlProblem(std::string_view url) {
  UriUriA uri;
  const char* error_pos = nullptr;
  if (uriParseSingleUriExA(&uri, url.data(), url.data() + url.size(),
                           &error_pos) != URI_SUCCESS) {
    return kNotHttpUrl;
  }
  const std::string_view scheme = UriRange(uri.scheme);
  Problem problem;
  if (!(EqualsIgnoringAsciiCase(scheme, "http") ||
        EqualsIgnoringAsciiCase(scheme, "https")) ||
      UriRange(uri.hostText).empty()) {
    problem = kNotHttpUrl;
  } else if (uri.userInfo.first != nullptr) {
    // "https://bank.example@evil.example/" reads as the bank's address but
    // leads to evil.example; a reader's website never needs credentials.
    problem = "must not contain a user name or password";
  } else if (!IsValidPort(UriRange(uri.portText))) {
    problem = "must have a port from 1 to 65535";
  }
  uriFreeUriMembersA(&uri);
  return problem;
}

Problem CheckParent(std::string_view parent, std::string* thread) {
  if (parent.empty()) return kRequired;
  if (Problem problem = EncodingProblem(parent)) return problem;
  std::optional<std::string> slug = ParseThreadName(parent);
  if (!slug.has_value()) {
    return absl::StrCat(
        "must be of the form threads/{thread}, where {thread} is 1-",
        kMaxThreadChars,
        " characters of letters, digits, '.', '_', '~' and '-'");
  }
  *thread = *std::move(slug);
  return std::nullopt;
}

Problem CheckAuthorName(std::string_view raw, const ValidationLimits& limits,
                        std::string* name) {
  if (Problem problem = EncodingProblem(raw)) return problem;
  // Checked before trimming, which would remove them at the ends: a name is
  // one line, and these break it wherever they stand.
  if (HasLineOrParagraphSeparator(raw)) {
    return "must not contain line or paragraph separators";
  }
  const std::string_view trimmed = TrimWhitespace(raw);
  if (trimmed.empty()) return kRequired;
  // Normalised before counting, so "e" + U+0301 counts as the one character
  // the reader sees.
  std::string normalized = ToNfc(trimmed);
  if (HasControlOrFormatChars(normalized)) {
    return "must not contain control, bidi-override or zero-width characters";
  }
  // Fillers and blanks (U+3164, U+2800...) would show an author without a
  // name, or one that looks like nobody's.
  if (!HasVisibleChar(normalized)) return "must contain a visible character";
  if (CountCodePoints(normalized) > limits.author_name_max_chars) {
    return absl::StrCat("must be at most ", limits.author_name_max_chars,
                        " characters");
  }
  *name = std::move(normalized);
  return std::nullopt;
}

Problem CheckAuthorEmail(std::string_view raw, const ValidationLimits& limits,
                         ValidComment* comment) {
  if (Problem problem = EncodingProblem(raw)) return problem;
  const std::string_view trimmed = TrimWhitespace(raw);
  if (trimmed.empty()) return kRequired;
  if (Problem problem = EmailProblem(trimmed, limits)) return problem;
  comment->author_email = std::string(trimmed);
  comment->normalized_email = NormalizeEmail(trimmed);
  return std::nullopt;
}

Problem CheckAuthorUrl(std::string_view raw, const ValidationLimits& limits,
                       std::string* url) {
  if (Problem problem = EncodingProblem(raw)) return problem;
  const std::string_view trimmed = TrimWhitespace(raw);
  if (trimmed.empty()) return std::nullopt;  // optional
  if (CountCodePoints(trimmed) > limits.author_url_max_chars) {
    return absl::StrCat("must be at most ", limits.author_url_max_chars,
                        " characters");
  }
  // Browsers drop tabs and newlines inside URLs, so "java\tscript:" would
  // run as "javascript:": refused before parsing rather than after.
  if (HasControlOrWhitespaceChars(trimmed)) {
    return "must not contain control characters or white space";
  }
  if (Problem problem = UrlProblem(trimmed)) return problem;
  *url = std::string(trimmed);
  return std::nullopt;
}

Problem CheckBody(std::string_view raw, const ValidationLimits& limits,
                  std::string* body) {
  if (raw.empty()) return kRequired;
  if (Problem problem = EncodingProblem(raw)) return problem;
  if (HasControlCharsExceptLineBreaks(raw)) {
    return "must not contain control characters other than tab, line feed "
           "and carriage return";
  }
  const std::string_view trimmed = TrimWhitespace(raw);
  if (trimmed.empty()) return kRequired;
  const int chars = CountCodePoints(trimmed);
  if (chars < limits.body_min_chars) {
    return absl::StrCat("must be at least ", limits.body_min_chars,
                        " characters, not counting surrounding white space");
  }
  if (chars > limits.body_max_chars) {
    return absl::StrCat("must be at most ", limits.body_max_chars,
                        " characters, not counting surrounding white space");
  }
  // Kept byte for byte: escaping belongs to the frontend at output time.
  *body = std::string(raw);
  return std::nullopt;
}

// `thread` is the parent's slug, or empty when the parent is invalid (and
// already reported), in which case the threads cannot be compared.
Problem CheckReplyTo(std::string_view reply_to, std::string_view thread,
                     std::string* reply_to_id) {
  if (reply_to.empty()) return std::nullopt;  // optional
  if (Problem problem = EncodingProblem(reply_to)) return problem;
  std::optional<CommentName> name = ParseCommentName(reply_to);
  if (!name.has_value()) {
    return "must be of the form threads/{thread}/comments/{comment}, where "
           "{comment} is a UUID";
  }
  *reply_to_id = std::move(name->id);
  if (!thread.empty() && name->thread != thread) {
    return "must name a comment of the same thread as parent";
  }
  return std::nullopt;
}

Problem CheckRequestId(std::string_view request_id, std::string* out) {
  if (request_id.empty()) return std::nullopt;  // optional
  if (Problem problem = EncodingProblem(request_id)) return problem;
  if (!IsValidUuid(request_id)) {
    return "must be a UUID (8-4-4-4-12 hexadecimal digits)";
  }
  *out = std::string(request_id);
  absl::AsciiStrToLower(out);
  return std::nullopt;
}

}  // namespace

ValidationResult ValidateCreateComment(const CreateCommentInput& input,
                                       const ValidationLimits& limits) {
  ValidationResult result;
  ValidComment& comment = result.comment;
  const auto report = [&result](const char* field, Problem problem) {
    if (problem.has_value()) {
      result.violations.push_back({field, *std::move(problem)});
    }
  };
  report(kParentField, CheckParent(input.parent, &comment.thread));
  report(kAuthorNameField,
         CheckAuthorName(input.author_name, limits, &comment.author_name));
  report(kAuthorEmailField,
         CheckAuthorEmail(input.author_email, limits, &comment));
  report(kAuthorUrlField,
         CheckAuthorUrl(input.author_url, limits, &comment.author_url));
  report(kBodyField, CheckBody(input.body, limits, &comment.body));
  report(kReplyToField,
         CheckReplyTo(input.reply_to, comment.thread, &comment.reply_to_id));
  report(kRequestIdField,
         CheckRequestId(input.request_id, &comment.request_id));
  return result;
}

bool IsValidEmail(std::string_view email, const ValidationLimits& limits) {
  return !EmailProblem(email, limits).has_value();
}

std::string NormalizeEmail(std::string_view email) {
  std::string normalized(TrimWhitespace(email));
  absl::AsciiStrToLower(&normalized);
  return normalized;
}

}  // namespace comments::domain
