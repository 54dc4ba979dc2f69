#include "tests/support/secret_scan.h"

#include <fstream>
#include <regex>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"

namespace comments::testing {
namespace {

// Loose on purpose: a false alarm is cheaper than a missed address.
const std::regex& EmailPattern() {
  static const std::regex pattern(
      R"([A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})");
  return pattern;
}

// A whole run of exactly 43 base64url characters, the shape of a token
// (security/moderator_token.h). Shorter and longer runs (UUIDs, trace ids,
// base64 key material, names) do not match.
const std::regex& TokenPattern() {
  static const std::regex pattern(
      R"((^|[^A-Za-z0-9_-])[A-Za-z0-9_-]{43}($|[^A-Za-z0-9_-]))");
  return pattern;
}

}  // namespace

std::vector<SecretFinding> FindSecrets(
    const std::vector<std::string>& lines,
    const std::vector<std::string>& known_secrets) {
  std::vector<SecretFinding> findings;
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::string& line = lines[i];
    if (std::regex_search(line, EmailPattern())) {
      findings.push_back({i, "email address"});
    }
    if (std::regex_search(line, TokenPattern())) {
      findings.push_back({i, "moderator token"});
    }
    for (const std::string& secret : known_secrets) {
      if (!secret.empty() && absl::StrContains(line, secret)) {
        findings.push_back({i, "known secret"});
        break;
      }
    }
  }
  return findings;
}

std::vector<std::string> KeyMaterialOf(
    const std::vector<std::string>& server_args) {
  std::vector<std::string> material;
  for (absl::string_view arg : server_args) {
    if (!absl::ConsumePrefix(&arg, "--email_key_file=") &&
        !absl::ConsumePrefix(&arg, "--email_hash_key_file=")) {
      continue;
    }
    std::ifstream file{std::string(arg)};
    std::string line;
    while (std::getline(file, line)) {
      // "<key-id> <base64>" (security/key_file.h); comments have one field
      // or start with '#'.
      std::vector<std::string> fields =
          absl::StrSplit(line, absl::ByAnyChar(" \t\r"), absl::SkipEmpty());
      if (fields.size() == 2 && !absl::StartsWith(fields[0], "#")) {
        material.push_back(fields[1]);
      }
    }
  }
  return material;
}

}  // namespace comments::testing
