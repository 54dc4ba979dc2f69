// Secret keys read from files (Docker secrets), never from the command line.
//
// File format: one key per line, "<key-id> <base64 of 32 bytes>"; blank lines
// and lines starting with '#' are ignored. A key id is 1-16 characters of
// [a-z0-9]. The LAST key is the current one (used for new data); the earlier
// ones stay readable, which is how keys are rotated: append a new line.
#ifndef COMMENTS_SERVICE_SECURITY_KEY_FILE_H_
#define COMMENTS_SERVICE_SECURITY_KEY_FILE_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace comments::security {

inline constexpr size_t kKeyBytes = 32;

struct Key {
  std::string id;
  std::string bytes;  // exactly kKeyBytes
};

// Parses the contents of a key file. Errors name the line, never the key.
absl::StatusOr<std::vector<Key>> ParseKeyFile(std::string_view contents);

// Reads and parses a key file. A missing, unreadable, empty or malformed file
// is an error whose message names the path and the problem.
absl::StatusOr<std::vector<Key>> ReadKeyFile(const std::string& path);

// A new key file line ("<id> <base64>\n") with a fresh random key.
std::string NewKeyFileLine(std::string_view key_id);

}  // namespace comments::security

#endif  // COMMENTS_SERVICE_SECURITY_KEY_FILE_H_
