// What a test server must never write, found in its log lines: an email
// address, anything shaped like a moderator token (43 characters of
// unpadded base64url), or a known secret such as the key material of the
// key files it was given. A finding names the line and the kind of secret,
// never the secret itself, so a report of a leak does not leak it again.
#ifndef COMMENTS_TESTS_SUPPORT_SECRET_SCAN_H_
#define COMMENTS_TESTS_SUPPORT_SECRET_SCAN_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace comments::testing {

struct SecretFinding {
  size_t line = 0;   // index into the scanned lines
  std::string kind;  // "email address", "moderator token", "known secret"

  bool operator==(const SecretFinding& other) const {
    return line == other.line && kind == other.kind;
  }
};

// Every line of `lines` that holds a secret, once per kind, in line order.
// Empty entries of `known_secrets` are ignored.
std::vector<SecretFinding> FindSecrets(
    const std::vector<std::string>& lines,
    const std::vector<std::string>& known_secrets);

// The key material (the base64 field of every key line) of the key files
// named by --email_key_file= and --email_hash_key_file= in `server_args`;
// files that cannot be read add nothing.
std::vector<std::string> KeyMaterialOf(
    const std::vector<std::string>& server_args);

}  // namespace comments::testing

#endif  // COMMENTS_TESTS_SUPPORT_SECRET_SCAN_H_
