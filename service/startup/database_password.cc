#include "service/startup/database_password.h"

#include <stdlib.h>

#include "absl/status/statusor.h"
#include "service/admin/secret_file.h"

namespace comments::startup {

absl::Status UseDatabasePasswordFile(const std::string& path) {
  if (path.empty()) return absl::OkStatus();
  absl::StatusOr<std::string> password = admin::ReadSecretFile(path);
  if (!password.ok()) return password.status();
  setenv("PGPASSWORD", password->c_str(), /*overwrite=*/1);
  return absl::OkStatus();
}

}  // namespace comments::startup
