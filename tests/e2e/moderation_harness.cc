#include "tests/e2e/moderation_harness.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "client/lib/channel.h"
#include "service/security/key_file.h"
#include "tests/support/e2e_environment.h"
#include "tests/support/scanned_channel.h"

namespace comments::testing {

absl::StatusOr<std::unique_ptr<ModerationHarness>> ModerationHarness::Start(
    std::string server_path, std::string database) {
  std::unique_ptr<ModerationHarness> harness(new ModerationHarness());
  harness->server_path_ = std::move(server_path);
  harness->database_ = std::move(database);
  auto postgres = PostgresInstance::Start();
  if (!postgres.ok()) return postgres.status();
  harness->postgres_ = *std::move(postgres);
  if (absl::Status created =
          harness->postgres_->CreateDatabase(harness->database_);
      !created.ok()) {
    return created;
  }
  if (absl::Status migrated = MigrateAsOwner(
          harness->server_path_, *harness->postgres_, harness->database_);
      !migrated.ok()) {
    return migrated;
  }
  harness->dir_ =
      std::filesystem::temp_directory_path() /
      absl::StrCat("comments-moderation-", getpid(), "-", harness->database_);
  std::filesystem::create_directories(harness->dir_);
  std::ofstream(harness->dir_ + "/email.key") << security::NewKeyFileLine("k1");
  std::ofstream(harness->dir_ + "/hash.key") << security::NewKeyFileLine("h1");
  std::ofstream(harness->dir_ + "/rules.yaml")
      << "flood:\n  min_interval_seconds: 0\n  bucket_burst: 0\n";
  return harness;
}

ModerationHarness::~ModerationHarness() {
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

std::vector<std::string> ModerationHarness::ServerArgs() const {
  return {absl::StrCat("--database_url=",
                       postgres_->ConnectionUri(database_, kServiceRole)),
          absl::StrCat("--email_key_file=", dir_, "/email.key"),
          absl::StrCat("--email_hash_key_file=", dir_, "/hash.key"),
          absl::StrCat("--rules_file=", dir_, "/rules.yaml"),
          "--db_pool_size=4"};
}

absl::StatusOr<CommandOutput> ModerationHarness::ModeratorsCommand(
    std::vector<std::string> args) const {
  std::vector<std::string> argv = {
      server_path_,
      absl::StrCat("--database_url=",
                   postgres_->ConnectionUri(database_, kServiceRole)),
      "moderators"};
  argv.insert(argv.end(), args.begin(), args.end());
  return RunCommand(argv);
}

absl::StatusOr<std::string> ModerationHarness::AddModerator(
    const std::string& name) const {
  absl::StatusOr<CommandOutput> added = ModeratorsCommand({"add", name});
  if (!added.ok()) return added.status();
  if (added->exit_code != 0) {
    return absl::InternalError(absl::StrCat("moderators add ", name, " exited ",
                                            added->exit_code, ": ",
                                            added->err));
  }
  return std::string(absl::StripTrailingAsciiWhitespace(added->out));
}

client::CallOptions ModeratorOptions(
    std::string token,
    std::vector<std::pair<std::string, std::string>> metadata,
    absl::Duration timeout) {
  client::CallOptions options;
  options.timeout = timeout;
  options.max_attempts = 1;
  options.bearer_token = std::move(token);
  options.metadata = std::move(metadata);
  return options;
}

client::ModerationClient ModeratorClient(
    std::shared_ptr<grpc::ChannelInterface> channel, std::string token,
    std::vector<std::pair<std::string, std::string>> metadata,
    absl::Duration timeout) {
  return client::ModerationClient(
      std::move(channel),
      ModeratorOptions(std::move(token), std::move(metadata), timeout));
}

std::shared_ptr<grpc::Channel> PlaintextChannel(const std::string& address) {
  client::ChannelOptions options;
  options.address = address;
  // Plaintext with an address cannot fail.
  return *ScannedChannel(options);
}

}  // namespace comments::testing
