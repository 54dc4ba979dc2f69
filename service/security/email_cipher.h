// Authenticated encryption of author emails at rest:
// XChaCha20-Poly1305 (libsodium) with the comment id as associated data, so
// a ciphertext copied onto another row does not decrypt.
//
// Stored form: "<key-id>:" followed by the 24-byte nonce and the ciphertext
// with its tag. The key id prefix selects the key on decryption, so old rows
// stay readable after a new key is added.
#ifndef COMMENTS_SERVICE_SECURITY_EMAIL_CIPHER_H_
#define COMMENTS_SERVICE_SECURITY_EMAIL_CIPHER_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "service/security/key_file.h"

namespace comments::security {

class EmailCipher {
 public:
  // `keys` non-empty; the last one encrypts.
  static absl::StatusOr<EmailCipher> Create(std::vector<Key> keys);

  std::string Encrypt(std::string_view email, std::string_view comment_id) const;

  // DATA_LOSS when the ciphertext was tampered with, belongs to another
  // comment, or names a key id that is not loaded.
  absl::StatusOr<std::string> Decrypt(std::string_view stored,
                                      std::string_view comment_id) const;

 private:
  explicit EmailCipher(std::vector<Key> keys) : keys_(std::move(keys)) {}
  std::vector<Key> keys_;
};

}  // namespace comments::security

#endif  // COMMENTS_SERVICE_SECURITY_EMAIL_CIPHER_H_
