#include "service/security/email_cipher.h"

#include <sodium.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "service/security/key_file.h"
#include "service/security/sodium_init.h"
#include "service/security/xchacha20_poly1305.h"

namespace comments::security {
namespace {

static_assert(kKeyBytes == crypto_aead_xchacha20poly1305_ietf_KEYBYTES);

// Key ids are at most 16 characters, so the separator, if present, is within
// the first 17 bytes; looking further would let corrupt data pass for an id.
constexpr size_t kMaxPrefixBytes = 17;

}  // namespace

absl::StatusOr<EmailCipher> EmailCipher::Create(std::vector<Key> keys) {
  if (absl::Status status = internal::InitSodium(); !status.ok()) {
    return status;
  }
  if (absl::Status status = ValidateKeys(keys); !status.ok()) return status;
  return EmailCipher(std::move(keys));
}

std::string EmailCipher::Encrypt(std::string_view email,
                                 std::string_view comment_id) const {
  const Key& key = keys_.back();
  std::string stored = absl::StrCat(key.id, ":");
  const size_t header = stored.size();
  stored.resize(header + kNonceBytes + email.size() + kTagBytes);
  auto* out = reinterpret_cast<unsigned char*>(stored.data()) + header;
  unsigned char* nonce = out;
  randombytes_buf(nonce, kNonceBytes);
  unsigned long long ciphertext_length = 0;
  // Cannot fail: the only error is a message longer than libsodium's limit
  // (about 256 GiB), far beyond any email.
  crypto_aead_xchacha20poly1305_ietf_encrypt(
      out + kNonceBytes, &ciphertext_length, SodiumBytes(email), email.size(),
      SodiumBytes(comment_id), comment_id.size(), /*nsec=*/nullptr, nonce,
      SodiumBytes(key.bytes));
  return stored;
}

absl::StatusOr<std::string> EmailCipher::Decrypt(
    std::string_view stored, std::string_view comment_id) const {
  const size_t colon = stored.substr(0, kMaxPrefixBytes).find(':');
  if (colon == std::string_view::npos) {
    return absl::DataLossError("stored email has no key id");
  }
  const std::string_view key_id = stored.substr(0, colon);
  const Key* key = nullptr;
  for (const Key& candidate : keys_) {
    if (candidate.id == key_id) key = &candidate;
  }
  if (key == nullptr) {
    // The id comes from stored bytes that may be corrupt, so it is not
    // echoed.
    return absl::DataLossError(
        "stored email names a key id that is not loaded");
  }

  const std::string_view sealed = stored.substr(colon + 1);
  if (sealed.size() < kNonceBytes + kTagBytes) {
    return absl::DataLossError(
        absl::StrCat("stored email is truncated (key id ", key->id, ")"));
  }
  const std::string_view nonce = sealed.substr(0, kNonceBytes);
  const std::string_view ciphertext = sealed.substr(kNonceBytes);
  std::string email(ciphertext.size() - kTagBytes, '\0');
  unsigned long long email_length = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          reinterpret_cast<unsigned char*>(email.data()), &email_length,
          /*nsec=*/nullptr, SodiumBytes(ciphertext), ciphertext.size(),
          SodiumBytes(comment_id), comment_id.size(), SodiumBytes(nonce),
          SodiumBytes(key->bytes)) != 0) {
    return absl::DataLossError(
        absl::StrCat("stored email fails authentication with key id ", key->id,
                     ": tampered with or stored for another comment"));
  }
  email.resize(email_length);
  return email;
}

}  // namespace comments::security
