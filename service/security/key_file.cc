#include "service/security/key_file.h"

#include <sodium.h>

#include <cerrno>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "service/security/sodium_init.h"

namespace comments::security {
namespace {

constexpr size_t kMaxKeyIdLength = 16;
constexpr std::string_view kBlanks = " \t\r\v\f";

// Debian's Abseil keeps its own string_view type, so std::string_view is
// converted explicitly where Abseil takes one.
absl::string_view AbslView(std::string_view s) { return {s.data(), s.size()}; }

std::string_view StripBlanks(std::string_view s) {
  const size_t first = s.find_first_not_of(kBlanks);
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(kBlanks) - first + 1);
}

bool IsValidKeyId(std::string_view id) {
  if (id.empty() || id.size() > kMaxKeyIdLength) return false;
  for (char c : id) {
    if (!(c >= 'a' && c <= 'z') && !(c >= '0' && c <= '9')) return false;
  }
  return true;
}

// Sets `key` only on success, and wipes the scratch buffer either way.
bool DecodeKey(std::string_view base64, std::string& key) {
  unsigned char decoded[kKeyBytes];
  size_t decoded_length = 0;
  // A null `b64_end` makes libsodium reject trailing garbage, and a buffer of
  // exactly kKeyBytes makes it reject longer keys, so only an exact 32-byte
  // key decodes.
  const bool ok =
      sodium_base642bin(decoded, sizeof(decoded), base64.data(), base64.size(),
                        /*ignore=*/nullptr, &decoded_length,
                        /*b64_end=*/nullptr,
                        sodium_base64_VARIANT_ORIGINAL) == 0 &&
      decoded_length == kKeyBytes;
  if (ok) key.assign(reinterpret_cast<const char*>(decoded), kKeyBytes);
  sodium_memzero(decoded, sizeof(decoded));
  return ok;
}

// Whether one of the first `count` keys has `id`; a linear scan, as key files
// hold a handful of keys.
bool ContainsId(const std::vector<Key>& keys, std::string_view id,
                size_t count) {
  for (size_t i = 0; i < count; ++i) {
    if (keys[i].id == id) return true;
  }
  return false;
}

absl::Status LineError(int line_number, std::string_view problem) {
  return absl::InvalidArgumentError(
      absl::StrCat("line ", line_number, ": ", AbslView(problem)));
}

struct FileCloser {
  void operator()(std::FILE* file) const { std::fclose(file); }
};

}  // namespace

absl::StatusOr<std::vector<Key>> ParseKeyFile(std::string_view contents) {
  std::vector<Key> keys;
  int line_number = 0;
  while (!contents.empty()) {
    ++line_number;
    const size_t end = contents.find('\n');
    const std::string_view line = StripBlanks(contents.substr(0, end));
    contents.remove_prefix(end == std::string_view::npos ? contents.size()
                                                         : end + 1);
    if (line.empty() || line.front() == '#') continue;

    // Messages below never quote the line: it may hold key material.
    const size_t id_end = line.find_first_of(kBlanks);
    if (id_end == std::string_view::npos) {
      return LineError(line_number, "expected \"<key-id> <base64 key>\"");
    }
    const std::string_view id = line.substr(0, id_end);
    const std::string_view base64 = StripBlanks(line.substr(id_end));
    if (base64.find_first_of(kBlanks) != std::string_view::npos) {
      return LineError(line_number, "expected \"<key-id> <base64 key>\"");
    }
    if (!IsValidKeyId(id)) {
      return LineError(line_number,
                       "key id must be 1-16 characters of [a-z0-9]");
    }
    if (ContainsId(keys, id, keys.size())) {
      return LineError(line_number,
                       absl::StrCat("duplicate key id \"", AbslView(id), "\""));
    }
    Key key{std::string(id), {}};
    if (!DecodeKey(base64, key.bytes)) {
      return LineError(line_number, "key must be 32 bytes of base64");
    }
    keys.push_back(std::move(key));
  }
  if (keys.empty()) return absl::InvalidArgumentError("no keys");
  return keys;
}

absl::StatusOr<std::vector<Key>> ReadKeyFile(const std::string& path) {
  const std::string context = absl::StrCat("key file ", path);
  std::unique_ptr<std::FILE, FileCloser> file(std::fopen(path.c_str(), "rb"));
  if (file == nullptr) return absl::ErrnoToStatus(errno, context);

  std::string contents;
  char buffer[4096];
  size_t read;
  while ((read = std::fread(buffer, 1, sizeof(buffer), file.get())) > 0) {
    contents.append(buffer, read);
  }
  // Reading a directory, for instance, fails here rather than in fopen.
  if (std::ferror(file.get()) != 0) return absl::ErrnoToStatus(errno, context);

  absl::StatusOr<std::vector<Key>> keys = ParseKeyFile(contents);
  if (!keys.ok()) {
    return absl::Status(keys.status().code(),
                        absl::StrCat(context, ": ", keys.status().message()));
  }
  return keys;
}

absl::Status ValidateKeys(const std::vector<Key>& keys) {
  if (keys.empty()) return absl::InvalidArgumentError("no keys");
  for (size_t i = 0; i < keys.size(); ++i) {
    const Key& key = keys[i];
    if (!IsValidKeyId(key.id)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "key ", i + 1, ": key id must be 1-16 characters of [a-z0-9]"));
    }
    if (ContainsId(keys, key.id, i)) {
      return absl::InvalidArgumentError(
          absl::StrCat("key ", i + 1, ": duplicate key id \"", key.id, "\""));
    }
    if (key.bytes.size() != kKeyBytes) {
      return absl::InvalidArgumentError(
          absl::StrCat("key ", i + 1, ": key must be 32 bytes"));
    }
  }
  return absl::OkStatus();
}

std::string NewKeyFileLine(std::string_view key_id) {
  // The result is ignored on purpose: randombytes_buf does not depend on the
  // rest of libsodium's initialisation, and it aborts rather than return
  // predictable bytes when the system has no random source.
  (void)internal::InitSodium();
  unsigned char key[kKeyBytes];
  randombytes_buf(key, sizeof(key));
  char base64[sodium_base64_ENCODED_LEN(kKeyBytes,
                                        sodium_base64_VARIANT_ORIGINAL)];
  sodium_bin2base64(base64, sizeof(base64), key, sizeof(key),
                    sodium_base64_VARIANT_ORIGINAL);
  std::string line = absl::StrCat(AbslView(key_id), " ", base64, "\n");
  sodium_memzero(key, sizeof(key));
  sodium_memzero(base64, sizeof(base64));
  return line;
}

}  // namespace comments::security
