// Authentication of ModerationService calls: "authorization: Bearer
// <token>" metadata, checked against the active moderators on every call, so
// a revocation takes effect at once. Handlers never call this themselves:
// every method goes through moderator_call.h.
#ifndef COMMENTS_SERVICE_API_MODERATOR_AUTH_H_
#define COMMENTS_SERVICE_API_MODERATOR_AUTH_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "grpcpp/server_context.h"
#include "service/storage/moderator_repository.h"

namespace comments::api {

// The token of an "authorization" value ("Bearer <token>", the scheme in any
// case); empty when the value has another form.
std::string_view BearerToken(std::string_view authorization);

// UNAUTHENTICATED (reason INVALID_MODERATOR_TOKEN), the same whatever was
// wrong with the token.
absl::Status InvalidModeratorTokenError();

// Who makes an authenticated call, as the token says.
struct Moderator {
  std::string name;
};

class ModeratorAuthenticator {
 public:
  // `moderators` is not owned and must outlive this object.
  explicit ModeratorAuthenticator(storage::ModeratorRepository* moderators)
      : moderators_(moderators) {}

  // The moderator, from the "authorization" value alone. UNAUTHENTICATED
  // when the token is missing, malformed, unknown or revoked, without saying
  // which; the lookup's own error (e.g. UNAVAILABLE) when the database
  // fails.
  absl::StatusOr<Moderator> Authenticate(std::string_view authorization,
                                         absl::Time deadline) const;
  // The same, from the call's metadata.
  absl::StatusOr<Moderator> Authenticate(const grpc::ServerContextBase& context,
                                         absl::Time deadline) const;

 private:
  storage::ModeratorRepository* moderators_;
};

}  // namespace comments::api

#endif  // COMMENTS_SERVICE_API_MODERATOR_AUTH_H_
