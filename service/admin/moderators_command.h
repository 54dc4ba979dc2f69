// The operator's moderator commands, run as subcommands of the server binary
// (same --database_url and password handling as the server):
//
//   comments_server moderators add NAME     prints the new token once
//   comments_server moderators list         every account, revoked included
//   comments_server moderators revoke NAME  takes effect on the next call
#ifndef COMMENTS_SERVICE_ADMIN_MODERATORS_COMMAND_H_
#define COMMENTS_SERVICE_ADMIN_MODERATORS_COMMAND_H_

#include <ostream>
#include <string>
#include <vector>

#include "service/storage/moderator_repository.h"

namespace comments::admin {

// Exit codes, for scripts.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;  // e.g. name taken, database down
inline constexpr int kExitUsage = 2;

// `args` are the words after "moderators". Only the token of "add" goes to
// `out` (so `TOKEN=$(comments_server moderators add ann)` works) and the
// table of "list"; everything else goes to `err`.
int RunModeratorsCommand(const std::vector<std::string>& args,
                         storage::ModeratorRepository& moderators,
                         std::ostream& out, std::ostream& err);

// Whether `args` form a valid command (checked before touching the
// database); describes the usage on `err` when not.
bool CheckModeratorsUsage(const std::vector<std::string>& args,
                          std::ostream& err);

}  // namespace comments::admin

#endif  // COMMENTS_SERVICE_ADMIN_MODERATORS_COMMAND_H_
