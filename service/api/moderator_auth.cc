#include "service/api/moderator_auth.h"

#include <optional>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "service/api/request_context.h"
#include "service/domain/error.h"
#include "service/security/moderator_token.h"

namespace comments::api {
namespace {

constexpr std::string_view kBearerScheme = "bearer ";

}  // namespace

absl::Status InvalidModeratorTokenError() {
  return domain::WithReason(
      absl::UnauthenticatedError(
          "a valid moderator token is required: authorization: Bearer "
          "<token>"),
      domain::ErrorReason::kInvalidModeratorToken);
}

std::string_view BearerToken(std::string_view authorization) {
  if (authorization.size() <= kBearerScheme.size() ||
      !absl::EqualsIgnoreCase(
          absl::string_view(authorization.data(), kBearerScheme.size()),
          absl::string_view(kBearerScheme.data(), kBearerScheme.size()))) {
    return {};
  }
  std::string_view token = authorization.substr(kBearerScheme.size());
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
  return token;
}

absl::StatusOr<Moderator> ModeratorAuthenticator::Authenticate(
    std::string_view authorization, absl::Time deadline) const {
  const std::optional<std::string> hash =
      security::ModeratorTokenHash(BearerToken(authorization));
  if (!hash.has_value()) return InvalidModeratorTokenError();
  absl::StatusOr<std::optional<std::string>> name =
      moderators_->FindActive(*hash, deadline);
  if (!name.ok()) return name.status();
  if (!name->has_value()) return InvalidModeratorTokenError();
  return Moderator{**std::move(name)};
}

absl::StatusOr<Moderator> ModeratorAuthenticator::Authenticate(
    const grpc::ServerContextBase& context, absl::Time deadline) const {
  return Authenticate(MetadataValue(context, "authorization"), deadline);
}

}  // namespace comments::api
