#include "service/security/page_token_cipher.h"

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "service/security/key_file.h"

namespace comments::security {
namespace {

constexpr char kQuery[] = "comments:threads/article-1";
constexpr char kAlphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

Key Key1() { return {"k1", std::string(kKeyBytes, '\x11')}; }
Key Key2() { return {"k2", std::string(kKeyBytes, '\x22')}; }

PageTokenCipher MakeCipher(std::vector<Key> keys) {
  absl::StatusOr<PageTokenCipher> cipher = PageTokenCipher::Create(keys);
  EXPECT_TRUE(cipher.ok()) << cipher.status();
  return *std::move(cipher);
}

TEST(PageTokenCipherTest, RoundTripsEveryPosition) {
  const PageTokenCipher cipher = MakeCipher({Key1()});
  for (int64_t after :
       {int64_t{0}, int64_t{1}, int64_t{255}, int64_t{256}, int64_t{123456789},
        std::numeric_limits<int64_t>::max()}) {
    EXPECT_EQ(cipher.Open(cipher.Seal(kQuery, after), kQuery), after) << after;
  }
}

TEST(PageTokenCipherTest, TokensAreUrlSafeAndWithoutPadding) {
  const std::string token =
      MakeCipher({Key1()}).Seal("comments:threads/~?&=+/", 99);
  EXPECT_EQ(token.find_first_not_of(kAlphabet), std::string::npos) << token;
}

TEST(PageTokenCipherTest, TokensRevealNeitherThePositionNorTheQuery) {
  const PageTokenCipher cipher = MakeCipher({Key1()});
  const std::string first = cipher.Seal(kQuery, 4242);
  const std::string second = cipher.Seal(kQuery, 4242);
  // A fresh nonce each time: equal positions do not give equal tokens.
  EXPECT_NE(first, second);
  std::string bytes;
  ASSERT_TRUE(absl::WebSafeBase64Unescape(first, &bytes));
  EXPECT_FALSE(absl::StrContains(bytes, "4242"));
  EXPECT_FALSE(absl::StrContains(bytes, "\x92\x10"));  // 4242, little-endian
  EXPECT_FALSE(absl::StrContains(bytes, "threads"));
  // Its length does not depend on the position either.
  EXPECT_EQ(cipher.Seal(kQuery, 1).size(),
            cipher.Seal(kQuery, std::numeric_limits<int64_t>::max()).size());
}

TEST(PageTokenCipherTest, EveryChangedCharacterIsRefused) {
  const PageTokenCipher cipher = MakeCipher({Key1()});
  const std::string token = cipher.Seal(kQuery, 77);
  int tried = 0;
  for (size_t i = 0; i < token.size(); ++i) {
    for (const char replacement : std::string(kAlphabet)) {
      if (replacement == token[i]) continue;
      std::string changed = token;
      changed[i] = replacement;
      EXPECT_EQ(cipher.Open(changed, kQuery), std::nullopt)
          << "position " << i << " as " << replacement;
      ++tried;
    }
  }
  EXPECT_EQ(tried, static_cast<int>(token.size()) * 63);
}

TEST(PageTokenCipherTest, TruncatedExtendedAndForeignTokensAreRefused) {
  const PageTokenCipher cipher = MakeCipher({Key1()});
  const std::string token = cipher.Seal(kQuery, 77);
  for (const std::string& bad : {
           std::string(),
           token.substr(0, token.size() - 1),
           token.substr(1),
           token + "A",
           token + "=",
           std::string("not base64!"),
           // The old, readable format: a hand-written position no longer
           // passes.
           absl::WebSafeBase64Escape(absl::StrCat("v1:7:", kQuery)),
       }) {
    EXPECT_EQ(cipher.Open(bad, kQuery), std::nullopt) << bad;
  }
}

TEST(PageTokenCipherTest, ATokenOpensOnlyForItsQuery) {
  const PageTokenCipher cipher = MakeCipher({Key1()});
  const std::string token = cipher.Seal(kQuery, 5);
  EXPECT_EQ(cipher.Open(token, "comments:threads/article-2"), std::nullopt);
  EXPECT_EQ(cipher.Open(token, "queue:PENDING:threads/article-1"),
            std::nullopt);
  EXPECT_EQ(cipher.Open(token, ""), std::nullopt);
}

TEST(PageTokenCipherTest, ReplicasWithTheSameKeysAcceptEachOthersTokens) {
  const PageTokenCipher one = MakeCipher({Key1(), Key2()});
  const PageTokenCipher other = MakeCipher({Key1(), Key2()});
  EXPECT_EQ(other.Open(one.Seal(kQuery, 31), kQuery), 31);
  EXPECT_EQ(one.Open(other.Seal(kQuery, 32), kQuery), 32);
}

TEST(PageTokenCipherTest, OtherKeysCannotOpenAToken) {
  const std::string token = MakeCipher({Key1()}).Seal(kQuery, 5);
  EXPECT_EQ(MakeCipher({Key2()}).Open(token, kQuery), std::nullopt);
  // Same key bytes under another id derive the same token key: the id names
  // the key, the bytes are the secret.
  EXPECT_EQ(MakeCipher({{"other", Key1().bytes}}).Open(token, kQuery), 5);
}

TEST(PageTokenCipherTest, TokensSurviveAppendingAKey) {
  const PageTokenCipher before = MakeCipher({Key1()});
  const PageTokenCipher after = MakeCipher({Key1(), Key2()});
  // Issued before the rotation, still good after it.
  EXPECT_EQ(after.Open(before.Seal(kQuery, 9), kQuery), 9);
  // The new key seals: a replica without it refuses the new tokens, so the
  // new line goes to every replica's file.
  const std::string fresh = after.Seal(kQuery, 10);
  EXPECT_EQ(before.Open(fresh, kQuery), std::nullopt);
  EXPECT_EQ(MakeCipher({Key2()}).Open(fresh, kQuery), 10);
}

TEST(PageTokenCipherTest, BadKeysAreInvalidArgument) {
  EXPECT_EQ(PageTokenCipher::Create({}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(PageTokenCipher::Create({{"k1", "short"}}).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace comments::security
