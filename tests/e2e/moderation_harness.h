// What the moderation end-to-end tests share: a throwaway PostgreSQL
// migrated by its owner, key and rules files, the server's arguments (as the
// service role), moderator accounts made through
// the real "comments_server moderators" command, and calls through the
// client library's ModerationClient with a bearer token.
#ifndef COMMENTS_TESTS_E2E_MODERATION_HARNESS_H_
#define COMMENTS_TESTS_E2E_MODERATION_HARNESS_H_

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "client/lib/call_support.h"
#include "client/lib/moderation_client.h"
#include "grpcpp/channel.h"
#include "tests/support/command.h"
#include "tests/support/postgres_instance.h"

namespace comments::testing {

class ModerationHarness {
 public:
  // Starts PostgreSQL with an empty database `database`, and writes keys and
  // a rules file that turns flood control off (the tests submit many
  // comments from one address).
  static absl::StatusOr<std::unique_ptr<ModerationHarness>> Start(
      std::string server_path, std::string database);
  ~ModerationHarness();

  // Flags for comments_server on this database.
  std::vector<std::string> ServerArgs() const;

  // "comments_server --database_url=... moderators <args>".
  absl::StatusOr<CommandOutput> ModeratorsCommand(
      std::vector<std::string> args) const;
  // Adds a moderator and returns the token the command printed.
  absl::StatusOr<std::string> AddModerator(const std::string& name) const;

  PostgresInstance& postgres() { return *postgres_; }
  const std::string& database() const { return database_; }
  const std::string& dir() const { return dir_; }

 private:
  ModerationHarness() = default;
  std::string server_path_;
  std::string database_;
  std::string dir_;  // keys and rules
  std::unique_ptr<PostgresInstance> postgres_;
};

// Options for calls as the moderator with `token`: "authorization: Bearer
// <token>" (no header when the token is empty, so `metadata` may carry its
// own "authorization" entry) plus `metadata`, a deadline `timeout` from the
// call, and one attempt per call, so each call's status is the server's
// answer to that call.
client::CallOptions ModeratorOptions(
    std::string token,
    std::vector<std::pair<std::string, std::string>> metadata = {},
    absl::Duration timeout = absl::Seconds(30));

// A ModerationClient on `channel` with ModeratorOptions.
client::ModerationClient ModeratorClient(
    std::shared_ptr<grpc::ChannelInterface> channel, std::string token,
    std::vector<std::pair<std::string, std::string>> metadata = {},
    absl::Duration timeout = absl::Seconds(30));

// A plaintext channel to `address` made by the client library, every answer
// on it checked for secrets (tests/support/scanned_channel.h).
std::shared_ptr<grpc::Channel> PlaintextChannel(const std::string& address);

}  // namespace comments::testing

#endif  // COMMENTS_TESTS_E2E_MODERATION_HARNESS_H_
