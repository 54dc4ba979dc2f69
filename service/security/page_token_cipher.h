// Page tokens that are opaque for real: the position inside a token is a
// storage sequence number, which would tell anyone how many comments the
// site has received (spam and rejected ones included), so it is encrypted
// and authenticated (XChaCha20-Poly1305, libsodium) with the query as
// associated data. A token cannot be read, forged, changed or moved to
// another listing.
//
// No new secret for operators: the token keys are derived (crypto_kdf) from
// the keys of an existing key file, one per key. The current (last) key
// seals; every key in the file opens, so tokens survive the append that
// rotates the file, and every replica with the same file accepts every
// other's tokens. A token sealed under a key that is later removed from the
// file is refused like any bad token: the reader starts again from the first
// page.
#ifndef COMMENTS_SERVICE_SECURITY_PAGE_TOKEN_CIPHER_H_
#define COMMENTS_SERVICE_SECURITY_PAGE_TOKEN_CIPHER_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "service/domain/page_token.h"
#include "service/security/key_file.h"

namespace comments::security {

class PageTokenCipher final : public domain::PageTokenCodec {
 public:
  // `keys` as ValidateKeys accepts; INVALID_ARGUMENT otherwise, INTERNAL if
  // libsodium cannot initialise.
  static absl::StatusOr<PageTokenCipher> Create(const std::vector<Key>& keys);

  // URL-safe base64 without padding; a fresh random nonce each call.
  std::string Seal(std::string_view query, int64_t after) const override;
  std::optional<int64_t> Open(std::string_view token,
                              std::string_view query) const override;

 private:
  explicit PageTokenCipher(std::vector<std::string> keys)
      : keys_(std::move(keys)) {}
  // Derived token keys, in key file order: the last one seals.
  std::vector<std::string> keys_;
};

}  // namespace comments::security

#endif  // COMMENTS_SERVICE_SECURITY_PAGE_TOKEN_CIPHER_H_
