// Resource names of the API: threads/{thread} and
// threads/{thread}/comments/{comment}.
#ifndef COMMENTS_SERVICE_DOMAIN_NAMES_H_
#define COMMENTS_SERVICE_DOMAIN_NAMES_H_

#include <optional>
#include <string>
#include <string_view>

namespace comments::domain {

inline constexpr int kMaxThreadChars = 128;

struct CommentName {
  std::string thread;  // the slug
  std::string id;      // a lower-case UUID
};

// A thread slug: 1-128 characters of [A-Za-z0-9._~-] (RFC 3986 unreserved),
// so it can stand in a URL path unescaped.
bool IsValidThreadSlug(std::string_view slug);

// Canonical textual UUID (8-4-4-4-12 hex digits, any case).
bool IsValidUuid(std::string_view text);

// "threads/{slug}" -> slug; nullopt when malformed.
std::optional<std::string> ParseThreadName(std::string_view name);

// "threads/{slug}/comments/{uuid}" -> parts (id lower-cased); nullopt when
// malformed.
std::optional<CommentName> ParseCommentName(std::string_view name);

std::string ThreadName(std::string_view thread);
std::string CommentResourceName(std::string_view thread, std::string_view id);

}  // namespace comments::domain

#endif  // COMMENTS_SERVICE_DOMAIN_NAMES_H_
