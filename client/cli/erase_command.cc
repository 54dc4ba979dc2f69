// erase: removes what is stored about one author (GDPR erasure).
#include <istream>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "client/cli/commands.h"
#include "client/cli/exit_codes.h"
#include "client/cli/json_output.h"

namespace comments::cli {

int RunErase(Session& session, const EraseOptions& options, std::istream& in) {
  std::string email = options.email;
  if (email == "-") {
    std::getline(in, email);
  }
  email = std::string(absl::StripAsciiWhitespace(email));
  if (email.empty()) {
    return session.Fail(
        absl::InvalidArgumentError("give the author's email address, or - to "
                                   "read it from standard input"));
  }
  if (options.delete_comments && options.interactive && !options.yes) {
    session.err() << "Delete every comment by this author, not only their "
                     "personal data? [y/N] "
                  << std::flush;
    std::string answer;
    std::getline(in, answer);
    answer = absl::AsciiStrToLower(absl::StripAsciiWhitespace(answer));
    if (answer != "y" && answer != "yes") {
      session.err() << "nothing erased\n";
      return kExitOther;
    }
  }
  auto client = session.Moderation();
  if (!client.ok()) return session.Fail(client.status());
  v1::EraseAuthorDataRequest request;
  request.set_author_email(email);
  request.set_delete_comments(options.delete_comments);
  auto erased = (*client)->EraseAuthorData(request);
  // The address is not repeated in any output: it is what is being erased.
  if (!erased.ok()) return session.Fail(erased.status());
  if (session.json()) {
    session.PrintJson(ToJson(*erased));
  } else {
    session.out() << (options.delete_comments ? "deleted " : "anonymised ")
                  << erased->affected_comments() << " comments\n";
  }
  return kExitOk;
}

}  // namespace comments::cli
