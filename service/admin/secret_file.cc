#include "service/admin/secret_file.h"

#include <fstream>
#include <iterator>

#include "absl/strings/str_cat.h"

namespace comments::admin {

absl::StatusOr<std::string> ReadSecretFile(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return absl::NotFoundError(absl::StrCat("cannot open ", path));
  std::string secret((std::istreambuf_iterator<char>(file)),
                     std::istreambuf_iterator<char>());
  while (!secret.empty() && (secret.back() == '\n' || secret.back() == '\r')) {
    secret.pop_back();
  }
  return secret;
}

}  // namespace comments::admin
