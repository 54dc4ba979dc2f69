// Moderator bearer tokens: 32 random bytes, shown once as unpadded base64url
// (43 characters) and stored only as their SHA-256. The token has 256 bits of
// entropy, so a plain (unkeyed, unsalted) hash is enough: nobody can guess
// a token from its hash, and equal tokens never occur.
#ifndef COMMENTS_SERVICE_SECURITY_MODERATOR_TOKEN_H_
#define COMMENTS_SERVICE_SECURITY_MODERATOR_TOKEN_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace comments::security {

inline constexpr size_t kModeratorTokenBytes = 32;
inline constexpr size_t kModeratorTokenHashBytes = 32;

struct IssuedToken {
  std::string token;  // what the moderator is given, once
  std::string hash;   // what is stored: kModeratorTokenHashBytes raw bytes
};

IssuedToken NewModeratorToken();

// The stored hash of a presented token; nullopt when the text cannot be a
// token this service issued (wrong length or alphabet), so a lookup is not
// even needed.
std::optional<std::string> ModeratorTokenHash(std::string_view token);

}  // namespace comments::security

#endif  // COMMENTS_SERVICE_SECURITY_MODERATOR_TOKEN_H_
