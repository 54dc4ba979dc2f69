#include "client/cli/session.h"

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "client/cli/exit_codes.h"
#include "client/cli/status_output.h"

namespace comments::cli {
namespace {

absl::StatusOr<std::string> CheckToken(std::string token,
                                       const std::string& source) {
  // Token files usually end in a newline; editors may add spaces.
  token = std::string(absl::StripAsciiWhitespace(token));
  if (token.empty()) {
    return absl::UnauthenticatedError(
        absl::StrCat("the token in ", source, " is empty"));
  }
  for (char c : token) {
    // What gRPC accepts in a metadata value.
    if (c < 0x21 || c > 0x7E) {
      return absl::UnauthenticatedError(absl::StrCat(
          "the token in ", source, " is not a printable ASCII string"));
    }
  }
  return token;
}

absl::StatusOr<std::string> ReadTokenFile(const std::string& path,
                                          const std::string& source) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    return absl::UnauthenticatedError(
        absl::StrCat("cannot read the token file ", path, " (", source, ")"));
  }
  std::string contents((std::istreambuf_iterator<char>(file)),
                       std::istreambuf_iterator<char>());
  return CheckToken(std::move(contents), absl::StrCat("file ", path));
}

}  // namespace

absl::StatusOr<std::string> ResolveToken(const std::string& token_file) {
  if (!token_file.empty()) return ReadTokenFile(token_file, "--token-file");
  if (const char* token = std::getenv("COMMENTS_TOKEN"); token != nullptr) {
    return CheckToken(token, "$COMMENTS_TOKEN");
  }
  if (const char* path = std::getenv("COMMENTS_TOKEN_FILE");
      path != nullptr && *path != '\0') {
    return ReadTokenFile(path, "$COMMENTS_TOKEN_FILE");
  }
  return absl::UnauthenticatedError(
      "no moderator token: set COMMENTS_TOKEN or COMMENTS_TOKEN_FILE, or pass "
      "--token-file");
}

Session::Session(GlobalOptions options, std::ostream& out, std::ostream& err)
    : options_(std::move(options)), out_(out), err_(err) {}

Session::Session(GlobalOptions options, std::ostream& out, std::ostream& err,
                 std::unique_ptr<client::CommentClient> comments,
                 std::unique_ptr<client::ModerationClient> moderation)
    : options_(std::move(options)),
      out_(out),
      err_(err),
      comments_(std::move(comments)),
      moderation_(std::move(moderation)) {}

absl::StatusOr<std::shared_ptr<grpc::Channel>> Session::Channel() {
  if (channel_ == nullptr) {
    auto channel = client::CreateChannel(options_.channel);
    if (!channel.ok()) {
      // A bad address or TLS file is the user's to fix: a usage error.
      return absl::InvalidArgumentError(channel.status().message());
    }
    channel_ = *std::move(channel);
  }
  return channel_;
}

client::CallOptions Session::BaseCallOptions() const {
  client::CallOptions call;
  call.timeout = absl::Seconds(options_.timeout_seconds);
  return call;
}

absl::StatusOr<client::CommentClient*> Session::Comments() {
  if (comments_ == nullptr) {
    auto channel = Channel();
    if (!channel.ok()) return channel.status();
    comments_ = std::make_unique<client::CommentClient>(
        std::shared_ptr<grpc::ChannelInterface>(*channel), BaseCallOptions());
  }
  return comments_.get();
}

absl::StatusOr<client::ModerationClient*> Session::Moderation() {
  if (moderation_ == nullptr) {
    auto token = ResolveToken(options_.token_file);
    if (!token.ok()) return token.status();
    auto channel = Channel();
    if (!channel.ok()) return channel.status();
    if (!client::UsesTls(options_.channel) &&
        !client::IsLoopbackTarget(options_.channel.address)) {
      // Still sent: a TLS-terminating proxy or a private network may be the
      // operator's choice. But it should be a choice.
      err_ << "commentctl: warning: sending the moderator token without TLS "
              "to "
           << options_.channel.address
           << ", where anyone on the way can read it; use --tls or "
              "--ca-file, or reach the server on 127.0.0.1 (e.g. through an "
              "SSH tunnel)\n";
    }
    client::CallOptions call = BaseCallOptions();
    call.bearer_token = *std::move(token);
    moderation_ = std::make_unique<client::ModerationClient>(
        std::shared_ptr<grpc::ChannelInterface>(*channel), std::move(call));
  }
  return moderation_.get();
}

int Session::Fail(const absl::Status& status, std::string_view subject) {
  PrintError(err_, status, options_.json, subject);
  return ExitCodeFor(status.code());
}

void Session::PrintJson(const nlohmann::json& document) {
  // Comment text is arbitrary; invalid UTF-8 becomes U+FFFD rather than an
  // exception.
  out_ << document.dump(2, ' ', false, nlohmann::json::error_handler_t::replace)
       << std::endl;
}

}  // namespace comments::cli
