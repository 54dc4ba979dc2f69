#include "service/admin/migrate_command.h"

#include "absl/status/status.h"
#include "service/admin/moderators_command.h"
#include "service/admin/secret_file.h"
#include "service/storage/service_role.h"

namespace comments::admin {

int PrepareServiceRole(const std::string& database_url,
                       const ServiceRoleSetup& setup, std::ostream& err) {
  if (!setup.password_file.empty()) {
    absl::StatusOr<std::string> password = ReadSecretFile(setup.password_file);
    absl::Status set = password.status();
    if (set.ok()) {
      set = storage::SetRolePassword(database_url, setup.role, *password);
    }
    if (!set.ok()) {
      err << "cannot set the password of the service role \"" << setup.role
          << "\" from --service_password_file: " << set.message() << "\n";
      return kExitFailed;
    }
  }
  if (absl::Status checked =
          storage::CheckServiceRole(database_url, setup.role);
      !checked.ok()) {
    err << checked.message() << "\n";
    return kExitFailed;
  }
  err << "schema up to date; the service connects as \"" << setup.role
      << "\"\n";
  return kExitOk;
}

}  // namespace comments::admin
