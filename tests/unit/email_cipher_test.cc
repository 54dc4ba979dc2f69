#include "service/security/email_cipher.h"

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "service/security/key_file.h"

namespace comments::security {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::SizeIs;
using ::testing::StartsWith;

constexpr size_t kNonceBytes = 24;
constexpr size_t kTagBytes = 16;
constexpr char kEmail[] = "alice.liddell@example.com";
constexpr size_t kEmailBytes = sizeof(kEmail) - 1;
constexpr char kCommentId[] = "c_01HZX3K9Q8";

Key Key1() { return {"k1", std::string(kKeyBytes, '\x11')}; }
Key Key2() { return {"k2", std::string(kKeyBytes, '\x22')}; }

EmailCipher MakeCipher(std::vector<Key> keys) {
  absl::StatusOr<EmailCipher> cipher = EmailCipher::Create(std::move(keys));
  EXPECT_TRUE(cipher.ok()) << cipher.status();
  return *std::move(cipher);
}

// Checks that decryption fails with DATA_LOSS and says nothing about the
// email.
void ExpectDataLoss(const EmailCipher& cipher, std::string_view stored,
                    std::string_view comment_id, std::string_view what) {
  absl::StatusOr<std::string> email = cipher.Decrypt(stored, comment_id);
  EXPECT_EQ(email.status().code(), absl::StatusCode::kDataLoss) << what;
  EXPECT_THAT(email.status().message(), Not(HasSubstr("alice"))) << what;
}

TEST(EmailCipherTest, RoundTrips) {
  const EmailCipher cipher = MakeCipher({Key1()});
  for (std::string_view email : {std::string_view(kEmail), std::string_view(""),
                                 std::string_view("zoë@exämple.org"),
                                 std::string_view("a\0b@example.com", 15)}) {
    const std::string stored = cipher.Encrypt(email, kCommentId);
    absl::StatusOr<std::string> decrypted = cipher.Decrypt(stored, kCommentId);
    ASSERT_TRUE(decrypted.ok()) << decrypted.status();
    EXPECT_EQ(*decrypted, email);
  }
}

TEST(EmailCipherTest, StoredFormIsKeyIdNonceCiphertextAndTag) {
  const EmailCipher cipher = MakeCipher({Key1()});
  const std::string stored = cipher.Encrypt(kEmail, kCommentId);
  EXPECT_THAT(stored, StartsWith("k1:"));
  EXPECT_THAT(stored, SizeIs(3 + kNonceBytes + kEmailBytes + kTagBytes));
}

TEST(EmailCipherTest, PlaintextDoesNotAppearInStoredForm) {
  const EmailCipher cipher = MakeCipher({Key1()});
  const std::string stored = cipher.Encrypt(kEmail, kCommentId);
  EXPECT_FALSE(absl::StrContains(stored, kEmail));
  EXPECT_FALSE(absl::StrContains(stored, "alice"));
  EXPECT_FALSE(absl::StrContains(stored, "example.com"));
}

TEST(EmailCipherTest, EncryptingTwiceGivesDifferentOutputsThatBothDecrypt) {
  const EmailCipher cipher = MakeCipher({Key1()});
  const std::string first = cipher.Encrypt(kEmail, kCommentId);
  const std::string second = cipher.Encrypt(kEmail, kCommentId);
  EXPECT_NE(first, second);
  // A fresh nonce, not only a fresh ciphertext.
  EXPECT_NE(first.substr(3, kNonceBytes), second.substr(3, kNonceBytes));
  EXPECT_EQ(cipher.Decrypt(first, kCommentId).value_or(""), kEmail);
  EXPECT_EQ(cipher.Decrypt(second, kCommentId).value_or(""), kEmail);
}

TEST(EmailCipherTest, FlippingAnyBitIsDataLoss) {
  const EmailCipher cipher = MakeCipher({Key1(), Key2()});
  const std::string stored = cipher.Encrypt(kEmail, kCommentId);
  // Every byte: the key id, the separator, the nonce, the ciphertext and the
  // tag; low and high bits both.
  for (size_t i = 0; i < stored.size(); ++i) {
    for (unsigned char mask : {0x01, 0x80}) {
      std::string tampered = stored;
      tampered[i] = static_cast<char>(tampered[i] ^ mask);
      ExpectDataLoss(cipher, tampered, kCommentId,
                     absl::StrCat("byte ", i, " mask ", mask));
    }
  }
}

TEST(EmailCipherTest, TruncatedOrExtendedIsDataLoss) {
  const EmailCipher cipher = MakeCipher({Key1()});
  const std::string stored = cipher.Encrypt(kEmail, kCommentId);
  const std::string_view view = stored;
  for (size_t length = 0; length < stored.size(); ++length) {
    ExpectDataLoss(cipher, view.substr(0, length), kCommentId,
                   absl::StrCat("length ", length));
  }
  ExpectDataLoss(cipher, stored + '\0', kCommentId, "extra byte");
}

TEST(EmailCipherTest, CiphertextOfAnotherCommentIsDataLoss) {
  const EmailCipher cipher = MakeCipher({Key1()});
  const std::string stored = cipher.Encrypt(kEmail, kCommentId);
  ExpectDataLoss(cipher, stored, "c_01HZX3K9Q9", "other comment");
  ExpectDataLoss(cipher, stored, absl::StrCat(kCommentId, "0"), "longer id");
  ExpectDataLoss(cipher, stored, "", "empty id");
}

TEST(EmailCipherTest, RotationEncryptsWithLastKeyAndDecryptsWithAny) {
  const std::string old_stored =
      MakeCipher({Key1()}).Encrypt(kEmail, kCommentId);
  ASSERT_THAT(old_stored, StartsWith("k1:"));

  const EmailCipher rotated = MakeCipher({Key1(), Key2()});
  const std::string new_stored = rotated.Encrypt(kEmail, kCommentId);
  EXPECT_THAT(new_stored, StartsWith("k2:"));
  EXPECT_EQ(rotated.Decrypt(old_stored, kCommentId).value_or(""), kEmail);
  EXPECT_EQ(rotated.Decrypt(new_stored, kCommentId).value_or(""), kEmail);

  // Once k1 is retired its rows are unreadable, and say so.
  const EmailCipher retired = MakeCipher({Key2()});
  EXPECT_EQ(retired.Decrypt(new_stored, kCommentId).value_or(""), kEmail);
  ExpectDataLoss(retired, old_stored, kCommentId, "k1 not loaded");
}

TEST(EmailCipherTest, RelabelledKeyIdIsDataLoss) {
  const EmailCipher cipher = MakeCipher({Key1(), Key2()});
  const std::string stored = cipher.Encrypt(kEmail, kCommentId);
  ASSERT_THAT(stored, StartsWith("k2:"));
  ExpectDataLoss(cipher, absl::StrCat("k1:", stored.substr(3)), kCommentId,
                 "k2 data labelled k1");
}

TEST(EmailCipherTest, SameKeyBytesUnderAnotherIdStillDecrypt) {
  // The id only selects the key; what authenticates is the key itself.
  const std::string stored = MakeCipher({Key1()}).Encrypt(kEmail, kCommentId);
  const EmailCipher renamed = MakeCipher({Key{"old", Key1().bytes}});
  ExpectDataLoss(renamed, stored, kCommentId, "k1 not loaded");
  EXPECT_EQ(renamed.Decrypt(absl::StrCat("old:", stored.substr(3)), kCommentId)
                .value_or(""),
            kEmail);
}

TEST(EmailCipherTest, StoredFormWithoutKeyIdIsDataLoss) {
  const EmailCipher cipher = MakeCipher({Key1()});
  ExpectDataLoss(cipher, "", kCommentId, "empty");
  ExpectDataLoss(cipher, std::string(100, 'k'), kCommentId, "no separator");
  ExpectDataLoss(cipher, ":" + std::string(100, 'x'), kCommentId, "empty id");
}

TEST(EmailCipherTest, CreateRejectsInvalidKeysWithoutNamingThem) {
  EXPECT_EQ(EmailCipher::Create({}).status(),
            absl::InvalidArgumentError("no keys"));
  const std::string short_key(kKeyBytes - 1, 'S');
  absl::Status status = EmailCipher::Create({{"k1", short_key}}).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), Not(HasSubstr("SSSS")));
  EXPECT_EQ(EmailCipher::Create({Key1(), Key1()}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(EmailCipher::Create({{"k:1", Key1().bytes}}).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace comments::security
