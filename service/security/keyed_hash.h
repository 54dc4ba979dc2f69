// Keyed hashes (BLAKE2b-256 via libsodium's crypto_generichash) for lookups
// that must not reveal their input: the normalised email of an author, the
// fingerprint of a request. Without the key, a hash cannot be tested against
// guessed addresses. The key is separate from the encryption key.
#ifndef COMMENTS_SERVICE_SECURITY_KEYED_HASH_H_
#define COMMENTS_SERVICE_SECURITY_KEYED_HASH_H_

#include <cstddef>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "service/security/key_file.h"

namespace comments::security {

inline constexpr size_t kKeyedHashBytes = 32;

class KeyedHasher {
 public:
  // New hashes use the last (current) key of the file. Rotating it changes
  // every new hash, so lookups hash under every key still in the file
  // (HashUnderEveryKey) and find rows written before the rotation too.
  // `keys` as ValidateKeys accepts; INVALID_ARGUMENT otherwise, INTERNAL if
  // libsodium cannot initialise.
  static absl::StatusOr<KeyedHasher> Create(const std::vector<Key>& keys);

  // kKeyedHashBytes raw bytes under the current key: what is stored.
  // `purpose` separates domains ("email", "request"), and it and each part
  // are length-prefixed so ("ab","c") and ("a","bc") differ.
  std::string Hash(std::string_view purpose,
                   std::initializer_list<std::string_view> parts) const;

  // The same hash under every key of the file, the current one first: what
  // a lookup must match, so that a rotation never hides older rows.
  std::vector<std::string> HashUnderEveryKey(
      std::string_view purpose,
      std::initializer_list<std::string_view> parts) const;

 private:
  // `keys`: the key bytes, the current one first.
  explicit KeyedHasher(std::vector<std::string> keys)
      : keys_(std::move(keys)) {}
  static std::string HashWith(const std::string& key, std::string_view purpose,
                              std::initializer_list<std::string_view> parts);

  std::vector<std::string> keys_;
};

}  // namespace comments::security

#endif  // COMMENTS_SERVICE_SECURITY_KEYED_HASH_H_
