#include "service/security/page_token_cipher.h"

#include <sodium.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "service/security/key_file.h"
#include "service/security/sodium_init.h"
#include "service/security/xchacha20_poly1305.h"

namespace comments::security {
namespace {

constexpr size_t kPositionBytes = 8;
static_assert(kKeyBytes == crypto_kdf_KEYBYTES);
static_assert(crypto_aead_xchacha20poly1305_ietf_KEYBYTES >=
                  crypto_kdf_BYTES_MIN &&
              crypto_aead_xchacha20poly1305_ietf_KEYBYTES <=
                  crypto_kdf_BYTES_MAX);

// The first byte of every token, also bound into the associated data: a
// later format changes it, so old tokens are refused rather than misread.
constexpr unsigned char kVersion = 1;
constexpr size_t kTokenBytes = 1 + kNonceBytes + kPositionBytes + kTagBytes;

// crypto_kdf's context (exactly 8 characters) and subkey id: they make the
// token key independent of every other use of the same file key.
constexpr char kKdfContext[crypto_kdf_CONTEXTBYTES + 1] = "pagetokn";
constexpr uint64_t kKdfSubkeyId = 1;

std::string AssociatedData(std::string_view query) {
  std::string data(1, static_cast<char>(kVersion));
  data.append(query);
  return data;
}

}  // namespace

absl::StatusOr<PageTokenCipher> PageTokenCipher::Create(
    const std::vector<Key>& keys) {
  if (absl::Status status = internal::InitSodium(); !status.ok()) {
    return status;
  }
  if (absl::Status status = ValidateKeys(keys); !status.ok()) return status;
  std::vector<std::string> derived;
  derived.reserve(keys.size());
  for (const Key& key : keys) {
    std::string subkey(crypto_aead_xchacha20poly1305_ietf_KEYBYTES, '\0');
    // Cannot fail: the lengths are checked at compile time above.
    crypto_kdf_derive_from_key(reinterpret_cast<unsigned char*>(subkey.data()),
                               subkey.size(), kKdfSubkeyId, kKdfContext,
                               SodiumBytes(key.bytes));
    derived.push_back(std::move(subkey));
  }
  return PageTokenCipher(std::move(derived));
}

std::string PageTokenCipher::Seal(std::string_view query, int64_t after) const {
  unsigned char position[kPositionBytes];
  uint64_t value = static_cast<uint64_t>(after);
  for (unsigned char& byte : position) {
    byte = static_cast<unsigned char>(value & 0xff);
    value >>= 8;
  }
  std::string token(kTokenBytes, '\0');
  auto* out = reinterpret_cast<unsigned char*>(token.data());
  out[0] = kVersion;
  unsigned char* nonce = out + 1;
  randombytes_buf(nonce, kNonceBytes);
  const std::string associated = AssociatedData(query);
  unsigned long long sealed_length = 0;
  // Cannot fail: the only error is a message beyond libsodium's size limit.
  crypto_aead_xchacha20poly1305_ietf_encrypt(
      nonce + kNonceBytes, &sealed_length, position, sizeof(position),
      SodiumBytes(associated), associated.size(), /*nsec=*/nullptr, nonce,
      SodiumBytes(keys_.back()));
  return absl::WebSafeBase64Escape(token);
}

std::optional<int64_t> PageTokenCipher::Open(std::string_view token,
                                             std::string_view query) const {
  std::string bytes;
  if (!absl::WebSafeBase64Unescape(
          absl::string_view(token.data(), token.size()), &bytes) ||
      bytes.size() != kTokenBytes ||
      static_cast<unsigned char>(bytes[0]) != kVersion) {
    return std::nullopt;
  }
  // Base64 has spare bits (and optional padding): only the exact text Seal
  // wrote is accepted, so every changed character is refused.
  if (absl::WebSafeBase64Escape(bytes) != token) return std::nullopt;
  const auto* nonce = SodiumBytes(bytes) + 1;
  const auto* sealed = nonce + kNonceBytes;
  const std::string associated = AssociatedData(query);
  unsigned char position[kPositionBytes];
  // Newest first: most tokens in use were sealed by the current key.
  for (auto key = keys_.rbegin(); key != keys_.rend(); ++key) {
    unsigned long long position_length = 0;
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(
            position, &position_length, /*nsec=*/nullptr, sealed,
            kPositionBytes + kTagBytes, SodiumBytes(associated),
            associated.size(), nonce, SodiumBytes(*key)) != 0) {
      continue;
    }
    uint64_t value = 0;
    for (size_t i = kPositionBytes; i-- > 0;)
      value = (value << 8) | position[i];
    return static_cast<int64_t>(value);
  }
  return std::nullopt;
}

}  // namespace comments::security
