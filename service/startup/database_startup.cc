#include "service/startup/database_startup.h"

#include <stdlib.h>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "service/common/json_log.h"
#include "service/startup/database_password.h"
#include "service/storage/migrations.h"

namespace comments::startup {

absl::Status StartDatabase(const DatabaseStartup& startup) {
  if (absl::Status password = UseDatabasePasswordFile(startup.password_file);
      !password.ok()) {
    return absl::Status(
        password.code(),
        absl::StrCat("--database_password_file: ", password.message()));
  }
  setenv("PGCONNECT_TIMEOUT", "3", /*overwrite=*/0);
  absl::StatusOr<int> applied = RetryWhileUnavailable(
      [&startup] {
        return storage::ApplyMigrations(startup.database_url,
                                        storage::EmbeddedMigrations(),
                                        {startup.service_role});
      },
      startup.retry, SystemClock(), [](absl::Duration d) { absl::SleepFor(d); },
      [](const absl::Status& status) {
        log::Info("waiting for the database", {{"error", status.message()}});
      });
  if (!applied.ok()) return applied.status();
  log::Info("schema up to date", {{"migrations_applied", *applied}});
  return absl::OkStatus();
}

}  // namespace comments::startup
