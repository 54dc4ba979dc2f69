// Secret keys read from files (Docker secrets), never from the command line.
//
// File format: one key per line, "<key-id> <base64 of 32 bytes>" (standard
// base64 with padding). Blank lines and lines whose first non-blank character
// is '#' are ignored, as is whitespace around the fields (a trailing '\r'
// included). A key id is 1-16 characters of [a-z0-9] and appears once. The
// LAST key is the current one (used for new data); the earlier ones stay
// readable, which is how keys are rotated: append a new line.
#ifndef COMMENTS_SERVICE_SECURITY_KEY_FILE_H_
#define COMMENTS_SERVICE_SECURITY_KEY_FILE_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace comments::security {

inline constexpr size_t kKeyBytes = 32;

struct Key {
  std::string id;
  std::string bytes;  // exactly kKeyBytes
};

// Parses the contents of a key file. INVALID_ARGUMENT for a malformed line
// (the message names the line number and the problem, never the key) and for
// a file without any key ("no keys").
absl::StatusOr<std::vector<Key>> ParseKeyFile(std::string_view contents);

// Reads and parses a key file. A missing, unreadable, empty or malformed file
// is an error whose message names the path and the problem: NOT_FOUND for a
// missing file, PERMISSION_DENIED for an unreadable one, otherwise as
// ParseKeyFile.
absl::StatusOr<std::vector<Key>> ReadKeyFile(const std::string& path);

// INVALID_ARGUMENT unless `keys` is what ParseKeyFile produces: non-empty,
// well-formed unique ids, every key exactly kKeyBytes. For keys that did not
// come from a file.
absl::Status ValidateKeys(const std::vector<Key>& keys);

// A new key file line ("<id> <base64>\n") with a fresh random key. `key_id`
// must follow the key id rule above, or ParseKeyFile will reject the line.
std::string NewKeyFileLine(std::string_view key_id);

}  // namespace comments::security

#endif  // COMMENTS_SERVICE_SECURITY_KEY_FILE_H_
