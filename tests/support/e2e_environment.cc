#include "tests/support/e2e_environment.h"

#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "tests/support/command.h"

namespace comments::testing {
namespace {

absl::Status WriteFile(const std::string& path, const std::string& contents) {
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file << contents;
  file.close();
  if (!file) return absl::InternalError(absl::StrCat("cannot write ", path));
  return absl::OkStatus();
}

absl::StatusOr<std::string> Output(const std::vector<std::string>& argv) {
  auto run = RunCommand(argv);
  if (!run.ok()) return run.status();
  if (run->exit_code != 0) {
    return absl::InternalError(
        absl::StrCat(argv[0], " exited with ", run->exit_code, ": ", run->err));
  }
  return run->out;
}

}  // namespace

absl::Status MigrateAsOwner(const std::string& server_binary,
                            const PostgresInstance& postgres,
                            const std::string& database) {
  return Output(
             {server_binary,
              absl::StrCat("--database_url=", postgres.ConnectionUri(database)),
              "migrate"})
      .status();
}

absl::StatusOr<std::unique_ptr<E2eEnvironment>> E2eEnvironment::Create(
    std::string server_binary, const std::string& rules_yaml,
    std::string database, PostgresInstance::Durability durability) {
  std::unique_ptr<E2eEnvironment> environment(new E2eEnvironment());
  environment->server_binary_ = std::move(server_binary);
  environment->database_ = std::move(database);

  std::string dir_template =
      (std::filesystem::temp_directory_path() / "comments-e2e-XXXXXX").string();
  if (mkdtemp(dir_template.data()) == nullptr) {
    return absl::InternalError("mkdtemp failed");
  }
  environment->dir_ = dir_template;

  for (const auto& [file, key_id] :
       {std::pair<const char*, const char*>{"email.key", "k1"},
        {"hash.key", "h1"}}) {
    auto line = Output({environment->server_binary_,
                        absl::StrCat("--generate_key_line=", key_id)});
    if (!line.ok()) return line.status();
    absl::Status written =
        WriteFile(absl::StrCat(environment->dir_, "/", file), *line);
    if (!written.ok()) return written;
  }
  if (!rules_yaml.empty()) {
    absl::Status written =
        WriteFile(absl::StrCat(environment->dir_, "/rules.yaml"), rules_yaml);
    if (!written.ok()) return written;
    environment->has_rules_ = true;
  }

  auto postgres = PostgresInstance::Start(durability);
  if (!postgres.ok()) return postgres.status();
  environment->postgres_ = *std::move(postgres);
  absl::Status created =
      environment->postgres_->CreateDatabase(environment->database_);
  if (!created.ok()) return created;
  absl::Status migrated =
      MigrateAsOwner(environment->server_binary_, *environment->postgres_,
                     environment->database_);
  if (!migrated.ok()) return migrated;
  return environment;
}

E2eEnvironment::~E2eEnvironment() {
  postgres_.reset();
  if (!dir_.empty()) {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
}

std::string E2eEnvironment::ServiceDatabaseUri() const {
  return postgres_->ConnectionUri(database_, kServiceRole);
}

std::vector<std::string> E2eEnvironment::ServerArgs() const {
  std::vector<std::string> args = {
      absl::StrCat("--database_url=", ServiceDatabaseUri()),
      absl::StrCat("--email_key_file=", dir_, "/email.key"),
      absl::StrCat("--email_hash_key_file=", dir_, "/hash.key"),
      "--db_pool_size=4"};
  if (has_rules_) {
    args.push_back(absl::StrCat("--rules_file=", dir_, "/rules.yaml"));
  }
  return args;
}

absl::StatusOr<std::unique_ptr<ServerProcess>> E2eEnvironment::StartServer(
    std::vector<std::string> extra_args) const {
  std::vector<std::string> args = ServerArgs();
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  return ServerProcess::Start(server_binary_, std::move(args));
}

absl::StatusOr<std::string> E2eEnvironment::AddModerator(
    const std::string& name) const {
  auto token = Output({server_binary_,
                       absl::StrCat("--database_url=", ServiceDatabaseUri()),
                       "moderators", "add", name});
  if (!token.ok()) return token.status();
  std::string trimmed(absl::StripAsciiWhitespace(*token));
  if (trimmed.empty()) {
    return absl::InternalError("moderators add printed no token");
  }
  return trimmed;
}

}  // namespace comments::testing
