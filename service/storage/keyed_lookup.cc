#include "service/storage/keyed_lookup.h"

#include "absl/strings/escaping.h"
#include "service/storage/comment_rows.h"

namespace comments::storage {

std::string HashListParameter(const std::vector<std::string>& hashes) {
  std::vector<std::string> hex;
  hex.reserve(hashes.size());
  for (const std::string& hash : hashes) {
    hex.push_back(absl::BytesToHexString(hash));
  }
  return ToJsonArray(hex);
}

}  // namespace comments::storage
