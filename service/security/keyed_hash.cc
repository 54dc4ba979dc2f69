#include "service/security/keyed_hash.h"

#include <sodium.h>

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "service/security/key_file.h"
#include "service/security/sodium_init.h"

namespace comments::security {
namespace {

static_assert(kKeyedHashBytes >= crypto_generichash_BYTES_MIN &&
              kKeyedHashBytes <= crypto_generichash_BYTES_MAX);
static_assert(kKeyBytes >= crypto_generichash_KEYBYTES_MIN &&
              kKeyBytes <= crypto_generichash_KEYBYTES_MAX);

// Feeds an 8-byte little-endian length and then the bytes, so the hashed
// stream parses back into exactly one sequence of fields whatever they hold.
void UpdateWithField(crypto_generichash_state& state, std::string_view field) {
  unsigned char length[8];
  uint64_t n = field.size();
  for (unsigned char& byte : length) {
    byte = static_cast<unsigned char>(n & 0xff);
    n >>= 8;
  }
  crypto_generichash_update(&state, length, sizeof(length));
  crypto_generichash_update(
      &state, reinterpret_cast<const unsigned char*>(field.data()),
      field.size());
}

}  // namespace

absl::StatusOr<KeyedHasher> KeyedHasher::Create(const std::vector<Key>& keys) {
  if (absl::Status status = internal::InitSodium(); !status.ok()) {
    return status;
  }
  if (absl::Status status = ValidateKeys(keys); !status.ok()) return status;
  std::vector<std::string> newest_first;
  newest_first.reserve(keys.size());
  for (auto key = keys.rbegin(); key != keys.rend(); ++key) {
    newest_first.push_back(key->bytes);
  }
  return KeyedHasher(std::move(newest_first));
}

std::string KeyedHasher::Hash(
    std::string_view purpose,
    std::initializer_list<std::string_view> parts) const {
  return HashWith(keys_.front(), purpose, parts);
}

std::vector<std::string> KeyedHasher::HashUnderEveryKey(
    std::string_view purpose,
    std::initializer_list<std::string_view> parts) const {
  std::vector<std::string> hashes;
  hashes.reserve(keys_.size());
  for (const std::string& key : keys_) {
    hashes.push_back(HashWith(key, purpose, parts));
  }
  return hashes;
}

std::string KeyedHasher::HashWith(
    const std::string& key, std::string_view purpose,
    std::initializer_list<std::string_view> parts) {
  // The key and output lengths are checked at compile time above, the only
  // inputs libsodium would reject, so these calls cannot fail.
  crypto_generichash_state state;
  crypto_generichash_init(&state,
                          reinterpret_cast<const unsigned char*>(key.data()),
                          key.size(), kKeyedHashBytes);
  UpdateWithField(state, purpose);
  for (std::string_view part : parts) UpdateWithField(state, part);
  std::string hash(kKeyedHashBytes, '\0');
  crypto_generichash_final(
      &state, reinterpret_cast<unsigned char*>(hash.data()), hash.size());
  // The state is derived from the key.
  sodium_memzero(&state, sizeof(state));
  return hash;
}

}  // namespace comments::security
