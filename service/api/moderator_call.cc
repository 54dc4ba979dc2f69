#include "service/api/moderator_call.h"

#include <utility>

#include "absl/status/statusor.h"
#include "service/api/request_context.h"
#include "service/api/status_mapping.h"

namespace comments::api {

absl::Status RunAsModerator(const ModeratorAuthenticator& authenticator,
                            std::string_view authorization, absl::Time deadline,
                            ModeratorHandler handler) {
  absl::StatusOr<Moderator> moderator =
      authenticator.Authenticate(authorization, deadline);
  if (!moderator.ok()) return moderator.status();
  return handler(ModeratorCall{*std::move(moderator), deadline});
}

grpc::Status ServeModeratorCall(const ModeratorAuthenticator& authenticator,
                                const grpc::ServerContextBase& context,
                                absl::Duration max_timeout,
                                ModeratorHandler handler) {
  return ToGrpcStatus(
      RunAsModerator(authenticator, MetadataValue(context, "authorization"),
                     CallDeadline(context, max_timeout), handler));
}

}  // namespace comments::api
