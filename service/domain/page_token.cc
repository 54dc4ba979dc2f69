#include "service/domain/page_token.h"

#include <algorithm>
#include <optional>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "service/common/error_details.h"

namespace comments::domain {
namespace {

// The decoded form is "v1:{after}:{query}". The version lets the format
// change without misreading tokens still held by clients; the query goes
// last so it may contain any character, ':' included. The token is opaque,
// not secret: a forged position only moves the reader within the same
// listing.
constexpr std::string_view kTokenVersion = "v1:";

struct DecodedToken {
  int64_t after = 0;
  std::string query;
};

std::optional<DecodedToken> DecodeToken(std::string_view token) {
  std::string text;
  if (!absl::WebSafeBase64Unescape(
          absl::string_view(token.data(), token.size()), &text)) {
    return std::nullopt;
  }
  std::string_view rest = text;
  if (rest.substr(0, kTokenVersion.size()) != kTokenVersion) {
    return std::nullopt;
  }
  rest.remove_prefix(kTokenVersion.size());
  const size_t colon = rest.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  const std::string_view digits = rest.substr(0, colon);
  // Only the form EncodeToken writes: SimpleAtoi alone would also take signs,
  // white space and leading zeros.
  if (digits.empty() || (digits.size() > 1 && digits[0] == '0')) {
    return std::nullopt;
  }
  for (char c : digits) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) {
      return std::nullopt;
    }
  }
  DecodedToken decoded;
  if (!absl::SimpleAtoi(absl::string_view(digits.data(), digits.size()),
                        &decoded.after)) {
    return std::nullopt;  // out of range
  }
  decoded.query = std::string(rest.substr(colon + 1));
  return decoded;
}

}  // namespace

absl::StatusOr<Page> ResolvePage(const PageRequest& request,
                                 std::string_view query,
                                 const PageLimits& limits) {
  // Both fields are checked so that one error lists every bad field; the
  // reason is that of the first.
  std::vector<FieldViolation> violations;
  std::string reason;
  Page page;
  if (request.page_size < 0) {
    violations.push_back({"page_size", "must not be negative"});
    reason = kInvalidPageSizeReason;
  } else if (request.page_size == 0) {
    page.size = limits.default_page_size;
  } else {
    page.size = std::min<int>(request.page_size, limits.max_page_size);
  }
  if (!request.page_token.empty()) {
    std::optional<DecodedToken> token = DecodeToken(request.page_token);
    std::optional<std::string> problem;
    if (!token.has_value()) {
      problem = "must be a next_page_token returned by a previous call";
    } else if (token->query != query) {
      problem = "was issued for a different request";
    } else {
      page.after = token->after;
    }
    if (problem.has_value()) {
      violations.push_back({"page_token", *std::move(problem)});
      if (reason.empty()) reason = kInvalidPageTokenReason;
    }
  }
  if (!violations.empty()) return InvalidArgumentError(reason, violations);
  return page;
}

std::string MakePageToken(std::string_view query, int64_t after) {
  const std::string text = absl::StrCat(
      absl::string_view(kTokenVersion.data(), kTokenVersion.size()), after, ":",
      absl::string_view(query.data(), query.size()));
  return absl::WebSafeBase64Escape(text);
}

}  // namespace comments::domain
