// What every commentctl command shares: the global options, the clients
// (made on first use, so `--help` and usage errors never connect), where
// output goes, and how failures are reported.
#ifndef COMMENTS_CLIENT_CLI_SESSION_H_
#define COMMENTS_CLIENT_CLI_SESSION_H_

#include <memory>
#include <ostream>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "client/lib/channel.h"
#include "client/lib/comment_client.h"
#include "client/lib/moderation_client.h"
#include "nlohmann/json.hpp"

namespace comments::cli {

struct GlobalOptions {
  client::ChannelOptions channel;
  // --token-file; the environment is consulted when empty (ResolveToken).
  std::string token_file;
  // Deadline of each call, retries included.
  double timeout_seconds = 10;
  bool json = false;
};

// Where the bearer token is taken from, first match wins: `token_file`
// (--token-file), $COMMENTS_TOKEN, the file named by $COMMENTS_TOKEN_FILE.
// Never from a positional argument, which would land in shell history.
// UNAUTHENTICATED when there is none or it is not a printable ASCII string;
// the message names the source, never the token.
absl::StatusOr<std::string> ResolveToken(const std::string& token_file);

class Session {
 public:
  Session(GlobalOptions options, std::ostream& out, std::ostream& err);
  // For tests: clients made elsewhere (e.g. over mock stubs).
  Session(GlobalOptions options, std::ostream& out, std::ostream& err,
          std::unique_ptr<client::CommentClient> comments,
          std::unique_ptr<client::ModerationClient> moderation);

  absl::StatusOr<client::CommentClient*> Comments();
  // Needs a token (ResolveToken). Warns on err() when the token would
  // travel without TLS to an address off this machine.
  absl::StatusOr<client::ModerationClient*> Moderation();

  const GlobalOptions& options() const { return options_; }
  bool json() const { return options_.json; }
  std::ostream& out() { return out_; }
  std::ostream& err() { return err_; }

  // Prints `status` (status_output.h) and returns its exit code.
  int Fail(const absl::Status& status, std::string_view subject = "");
  // One JSON document on standard output.
  void PrintJson(const nlohmann::json& document);

 private:
  absl::StatusOr<std::shared_ptr<grpc::Channel>> Channel();
  client::CallOptions BaseCallOptions() const;

  GlobalOptions options_;
  std::ostream& out_;
  std::ostream& err_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<client::CommentClient> comments_;
  std::unique_ptr<client::ModerationClient> moderation_;
};

}  // namespace comments::cli

#endif  // COMMENTS_CLIENT_CLI_SESSION_H_
