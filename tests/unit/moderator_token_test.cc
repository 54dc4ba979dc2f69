// Moderator tokens: shown as base64url, stored as SHA-256.
#include "service/security/moderator_token.h"

#include <set>
#include <string>

#include "gtest/gtest.h"

namespace comments::security {
namespace {

TEST(ModeratorTokenTest, TokenIs43UrlSafeCharactersAndHashesToTheStoredHash) {
  const IssuedToken issued = NewModeratorToken();
  ASSERT_EQ(issued.token.size(), 43u);
  for (char c : issued.token) {
    EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c)) || c == '-' ||
                c == '_')
        << c;
  }
  ASSERT_EQ(issued.hash.size(), kModeratorTokenHashBytes);
  EXPECT_EQ(ModeratorTokenHash(issued.token), issued.hash);
}

TEST(ModeratorTokenTest, KnownAnswer) {
  // 32 zero bytes; SHA-256 of them is a published constant.
  const std::string zeros(43, 'A');
  std::optional<std::string> hash = ModeratorTokenHash(zeros);
  ASSERT_TRUE(hash.has_value());
  std::string hex;
  for (unsigned char c : *hash) {
    static const char kDigits[] = "0123456789abcdef";
    hex += kDigits[c >> 4];
    hex += kDigits[c & 15];
  }
  EXPECT_EQ(hex,
            "66687aadf862bd776c8fc18b8e9f8e20089714856ee233b3902a591d0d5f2925");
}

TEST(ModeratorTokenTest, TokensAreUnique) {
  std::set<std::string> tokens;
  for (int i = 0; i < 100; ++i) tokens.insert(NewModeratorToken().token);
  EXPECT_EQ(tokens.size(), 100u);
}

TEST(ModeratorTokenTest, MalformedTokensHaveNoHash) {
  const std::string token = NewModeratorToken().token;
  EXPECT_EQ(ModeratorTokenHash(""), std::nullopt);
  EXPECT_EQ(ModeratorTokenHash(token.substr(1)), std::nullopt);
  EXPECT_EQ(ModeratorTokenHash(token + "A"), std::nullopt);
  std::string bad_alphabet = token;
  bad_alphabet[5] = '+';  // standard base64, not base64url
  EXPECT_EQ(ModeratorTokenHash(bad_alphabet), std::nullopt);
  // The last character carries 2 bits; a non-canonical one is refused, so
  // each token has exactly one spelling.
  std::string non_canonical(42, 'A');
  non_canonical += 'B';
  EXPECT_EQ(ModeratorTokenHash(non_canonical), std::nullopt);
  std::string other = token;
  other[0] = other[0] == 'A' ? 'B' : 'A';
  ASSERT_TRUE(ModeratorTokenHash(other).has_value());
  EXPECT_NE(ModeratorTokenHash(other), ModeratorTokenHash(token));
}

}  // namespace
}  // namespace comments::security
