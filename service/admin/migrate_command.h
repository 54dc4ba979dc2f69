// `comments_server migrate`: the operator brings the schema up to date as
// the schema's owner and prepares the role the service connects as:
//
//   comments_server --database_url=OWNER_URL
//       [--service_role=comments_service] [--service_password_file=FILE]
//       migrate
//
// The migrations themselves run in main (the same start-up wait as the
// server); this is what follows them.
#ifndef COMMENTS_SERVICE_ADMIN_MIGRATE_COMMAND_H_
#define COMMENTS_SERVICE_ADMIN_MIGRATE_COMMAND_H_

#include <ostream>
#include <string>

namespace comments::admin {

struct ServiceRoleSetup {
  std::string role;
  // When set, the role's password becomes this file's contents.
  std::string password_file;
};

// Sets the service role's password when a file is given, then checks that
// the role exists, may log in, is no superuser and holds the migrations'
// grants. Reports on `err`; returns the exit code (moderators_command.h).
int PrepareServiceRole(const std::string& database_url,
                       const ServiceRoleSetup& setup, std::ostream& err);

}  // namespace comments::admin

#endif  // COMMENTS_SERVICE_ADMIN_MIGRATE_COMMAND_H_
