#include "service/security/moderator_token.h"

#include <sodium.h>

#include "service/security/sodium_init.h"

namespace comments::security {
namespace {

constexpr int kVariant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
constexpr size_t kEncodedBytes =
    sodium_base64_ENCODED_LEN(kModeratorTokenBytes, kVariant) - 1;
static_assert(kModeratorTokenHashBytes == crypto_hash_sha256_BYTES);

std::string Sha256(const unsigned char* data, size_t size) {
  std::string hash(crypto_hash_sha256_BYTES, '\0');
  crypto_hash_sha256(reinterpret_cast<unsigned char*>(hash.data()), data, size);
  return hash;
}

}  // namespace

IssuedToken NewModeratorToken() {
  // randombytes_buf aborts rather than return predictable bytes, and needs
  // nothing else from initialisation; the status only matters to the AEAD
  // code, so it is not checked here.
  (void)internal::InitSodium();
  unsigned char raw[kModeratorTokenBytes];
  randombytes_buf(raw, sizeof(raw));
  char encoded[kEncodedBytes + 1];
  sodium_bin2base64(encoded, sizeof(encoded), raw, sizeof(raw), kVariant);
  IssuedToken issued{std::string(encoded, kEncodedBytes),
                     Sha256(raw, sizeof(raw))};
  sodium_memzero(raw, sizeof(raw));
  sodium_memzero(encoded, sizeof(encoded));
  return issued;
}

std::optional<std::string> ModeratorTokenHash(std::string_view token) {
  if (token.size() != kEncodedBytes) return std::nullopt;
  (void)internal::InitSodium();
  unsigned char raw[kModeratorTokenBytes];
  size_t decoded = 0;
  const char* end = nullptr;
  if (sodium_base642bin(raw, sizeof(raw), token.data(), token.size(),
                        /*ignore=*/nullptr, &decoded, &end, kVariant) != 0 ||
      decoded != sizeof(raw) || end != token.data() + token.size()) {
    return std::nullopt;
  }
  std::string hash = Sha256(raw, sizeof(raw));
  sodium_memzero(raw, sizeof(raw));
  return hash;
}

}  // namespace comments::security
