// Authenticated encryption of author emails at rest:
// XChaCha20-Poly1305 (libsodium) with the comment id as associated data, so
// a ciphertext copied onto another row does not decrypt.
//
// Stored form (binary, not text): "<key-id>:" followed by the 24-byte random
// nonce and the ciphertext with its 16-byte tag. The key id prefix selects the
// key on decryption, so old rows stay readable after a new key is added.
#ifndef COMMENTS_SERVICE_SECURITY_EMAIL_CIPHER_H_
#define COMMENTS_SERVICE_SECURITY_EMAIL_CIPHER_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "service/security/key_file.h"

namespace comments::security {

class EmailCipher {
 public:
  // `keys` as ValidateKeys accepts (non-empty, unique ids, 32-byte keys);
  // the last one encrypts. INVALID_ARGUMENT otherwise, INTERNAL if libsodium
  // cannot initialise.
  static absl::StatusOr<EmailCipher> Create(std::vector<Key> keys);

  // A fresh random nonce each call, so equal emails give unrelated outputs.
  std::string Encrypt(std::string_view email,
                      std::string_view comment_id) const;

  // DATA_LOSS when the ciphertext is truncated, was tampered with, belongs to
  // another comment, or names a key id that is not loaded. The message never
  // contains the email or a key.
  absl::StatusOr<std::string> Decrypt(std::string_view stored,
                                      std::string_view comment_id) const;

 private:
  explicit EmailCipher(std::vector<Key> keys) : keys_(std::move(keys)) {}
  std::vector<Key> keys_;
};

}  // namespace comments::security

#endif  // COMMENTS_SERVICE_SECURITY_EMAIL_CIPHER_H_
