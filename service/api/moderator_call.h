// The one way into a ModerationService handler: the call is authenticated
// once, here, and the handler receives the moderator and the call's
// deadline. A handler body never runs for an unauthenticated call, and no
// handler looks at the token. WatchQueue, on the callback API, authenticates
// through the same RunAsModerator from its reactor.
#ifndef COMMENTS_SERVICE_API_MODERATOR_CALL_H_
#define COMMENTS_SERVICE_API_MODERATOR_CALL_H_

#include <string_view>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/time/time.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/status.h"
#include "service/api/moderator_auth.h"

namespace comments::api {

// What an authenticated handler works with.
struct ModeratorCall {
  Moderator moderator;
  // Bounds every database step of the call.
  absl::Time deadline;
};

using ModeratorHandler = absl::FunctionRef<absl::Status(const ModeratorCall&)>;

// Authenticates `authorization` and runs `handler` with the moderator; the
// authentication error, without running it, otherwise.
absl::Status RunAsModerator(const ModeratorAuthenticator& authenticator,
                            std::string_view authorization, absl::Time deadline,
                            ModeratorHandler handler);

// RunAsModerator for a unary call: the deadline is the call's, capped at
// `max_timeout`; the outcome mapped for gRPC.
grpc::Status ServeModeratorCall(const ModeratorAuthenticator& authenticator,
                                const grpc::ServerContextBase& context,
                                absl::Duration max_timeout,
                                ModeratorHandler handler);

}  // namespace comments::api

#endif  // COMMENTS_SERVICE_API_MODERATOR_CALL_H_
