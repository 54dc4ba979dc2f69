#include "service/admin/moderators_command.h"

#include <algorithm>
#include <string_view>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "service/api/error_text.h"
#include "service/domain/moderation.h"
#include "service/security/moderator_token.h"

namespace comments::admin {
namespace {

constexpr char kUsage[] =
    "usage: comments_server [--database_url=...] moderators add NAME\n"
    "       comments_server [--database_url=...] moderators list\n"
    "       comments_server [--database_url=...] moderators revoke NAME\n"
    "NAME: 1-64 characters of A-Z a-z 0-9 . _ @ -, not \"auto\"\n";

absl::Time Deadline() { return absl::Now() + absl::Seconds(30); }

std::string Rfc3339(absl::Time time) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", time, absl::UTCTimeZone());
}

std::string Pad(std::string text, size_t width) {
  if (text.size() < width) text.append(width - text.size(), ' ');
  return text;
}

int Fail(std::ostream& err, std::string_view what, const absl::Status& status) {
  // Storage reports a taken name by its facts; the API words it.
  err << what << ": " << api::CallerMessage(status) << "\n";
  return kExitFailed;
}

int Add(const std::string& name, storage::ModeratorRepository& moderators,
        std::ostream& out, std::ostream& err) {
  const security::IssuedToken issued = security::NewModeratorToken();
  absl::StatusOr<storage::ModeratorRecord> added =
      moderators.Add(name, issued.hash, Deadline());
  if (!added.ok()) return Fail(err, "cannot add moderator", added.status());
  out << issued.token << "\n";
  err << "moderator " << name
      << " added. The token above is shown only this once: give it to the "
         "moderator over a safe channel.\n";
  return kExitOk;
}

int List(storage::ModeratorRepository& moderators, std::ostream& out,
         std::ostream& err) {
  absl::StatusOr<std::vector<storage::ModeratorRecord>> listed =
      moderators.List(Deadline());
  if (!listed.ok()) return Fail(err, "cannot list moderators", listed.status());
  size_t width = 4;
  for (const storage::ModeratorRecord& moderator : *listed) {
    width = std::max(width, moderator.name.size());
  }
  width += 2;
  out << Pad("NAME", width) << Pad("CREATED", 22) << "REVOKED\n";
  for (const storage::ModeratorRecord& moderator : *listed) {
    out << Pad(moderator.name, width) << Pad(Rfc3339(moderator.create_time), 22)
        << (moderator.revoke_time.has_value() ? Rfc3339(*moderator.revoke_time)
                                              : "-")
        << "\n";
  }
  return kExitOk;
}

int Revoke(const std::string& name, storage::ModeratorRepository& moderators,
           std::ostream& err) {
  absl::StatusOr<storage::ModeratorRecord> revoked =
      moderators.Revoke(name, Deadline());
  if (!revoked.ok()) {
    return Fail(err, "cannot revoke moderator", revoked.status());
  }
  err << "moderator " << name << " revoked at "
      << Rfc3339(*revoked->revoke_time) << "\n";
  return kExitOk;
}

}  // namespace

bool CheckModeratorsUsage(const std::vector<std::string>& args,
                          std::ostream& err) {
  const bool valid =
      (args.size() == 1 && args[0] == "list") ||
      (args.size() == 2 && (args[0] == "add" || args[0] == "revoke") &&
       domain::IsValidModeratorName(args[1]));
  if (!valid) err << kUsage;
  return valid;
}

int RunModeratorsCommand(const std::vector<std::string>& args,
                         storage::ModeratorRepository& moderators,
                         std::ostream& out, std::ostream& err) {
  if (!CheckModeratorsUsage(args, err)) return kExitUsage;
  if (args[0] == "add") return Add(args[1], moderators, out, err);
  if (args[0] == "revoke") return Revoke(args[1], moderators, err);
  return List(moderators, out, err);
}

}  // namespace comments::admin
