// What the moderation end-to-end tests share: a throwaway PostgreSQL, key
// and rules files, the server's arguments, moderator accounts made through
// the real "comments_server moderators" command, and calls through the
// generated ModerationService stub with a bearer token.
#ifndef COMMENTS_TESTS_E2E_MODERATION_HARNESS_H_
#define COMMENTS_TESTS_E2E_MODERATION_HARNESS_H_

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/clock.h"
#include "client/lib/call_support.h"
#include "comments/v1/moderation.grpc.pb.h"
#include "grpcpp/grpcpp.h"
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

// Calls ModerationService with "authorization: Bearer <token>" (no header
// when the token is empty) plus any extra metadata, with a deadline.
class ModeratorCalls {
 public:
  ModeratorCalls(const std::shared_ptr<grpc::Channel>& channel,
                 std::string token,
                 std::vector<std::pair<std::string, std::string>> metadata = {})
      : stub_(v1::ModerationService::NewStub(channel)),
        token_(std::move(token)),
        metadata_(std::move(metadata)) {}

  template <typename Request, typename Response>
  absl::StatusOr<Response> Call(
      grpc::Status (v1::ModerationService::Stub::*method)(grpc::ClientContext*,
                                                          const Request&,
                                                          Response*),
      const Request& request) const {
    grpc::ClientContext context;
    Prepare(&context, absl::Seconds(30));
    Response response;
    absl::Status status = client::FromGrpcStatus(
        ((*stub_).*method)(&context, request, &response));
    if (!status.ok()) return status;
    return response;
  }

  // Adds the metadata and a deadline `timeout` from now.
  void Prepare(grpc::ClientContext* context, absl::Duration timeout) const {
    if (!token_.empty()) {
      context->AddMetadata("authorization", "Bearer " + token_);
    }
    for (const auto& [key, value] : metadata_) {
      context->AddMetadata(key, value);
    }
    context->set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  }

  v1::ModerationService::Stub& stub() const { return *stub_; }

 private:
  std::unique_ptr<v1::ModerationService::Stub> stub_;
  std::string token_;
  std::vector<std::pair<std::string, std::string>> metadata_;
};

}  // namespace comments::testing

#endif  // COMMENTS_TESTS_E2E_MODERATION_HARNESS_H_
