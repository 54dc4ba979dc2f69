#include "service/domain/names.h"

#include "absl/strings/ascii.h"

namespace comments::domain {
namespace {

constexpr std::string_view kThreadsPrefix = "threads/";
constexpr std::string_view kCommentsInfix = "/comments/";

bool IsUnreservedChar(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '.' ||
         c == '_' || c == '~' || c == '-';
}

bool ConsumePrefix(std::string_view* text, std::string_view prefix) {
  if (text->substr(0, prefix.size()) != prefix) return false;
  text->remove_prefix(prefix.size());
  return true;
}

}  // namespace

bool IsValidThreadSlug(std::string_view slug) {
  if (slug.empty() || slug.size() > static_cast<size_t>(kMaxThreadChars)) {
    return false;
  }
  for (char c : slug) {
    if (!IsUnreservedChar(c)) return false;
  }
  return true;
}

bool IsValidUuid(std::string_view text) {
  constexpr size_t kUuidLength = 36;
  if (text.size() != kUuidLength) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    const bool hyphen_position = i == 8 || i == 13 || i == 18 || i == 23;
    if (hyphen_position) {
      if (text[i] != '-') return false;
    } else if (!absl::ascii_isxdigit(static_cast<unsigned char>(text[i]))) {
      return false;
    }
  }
  return true;
}

std::optional<std::string> ParseThreadName(std::string_view name) {
  if (!ConsumePrefix(&name, kThreadsPrefix)) return std::nullopt;
  if (!IsValidThreadSlug(name)) return std::nullopt;
  return std::string(name);
}

std::optional<CommentName> ParseCommentName(std::string_view name) {
  if (!ConsumePrefix(&name, kThreadsPrefix)) return std::nullopt;
  // A slug cannot contain '/', so the first one ends it.
  const size_t slash = name.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  const std::string_view thread = name.substr(0, slash);
  std::string_view id = name.substr(slash);
  if (!ConsumePrefix(&id, kCommentsInfix)) return std::nullopt;
  if (!IsValidThreadSlug(thread) || !IsValidUuid(id)) return std::nullopt;
  CommentName parsed{std::string(thread), std::string(id)};
  absl::AsciiStrToLower(&parsed.id);
  return parsed;
}

std::string ThreadName(std::string_view thread) {
  std::string name(kThreadsPrefix);
  name.append(thread);
  return name;
}

std::string CommentResourceName(std::string_view thread, std::string_view id) {
  std::string name = ThreadName(thread);
  name.append(kCommentsInfix);
  name.append(id);
  return name;
}

}  // namespace comments::domain
