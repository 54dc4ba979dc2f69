// What handlers take from the gRPC call besides the request message.
#ifndef COMMENTS_SERVICE_API_REQUEST_CONTEXT_H_
#define COMMENTS_SERVICE_API_REQUEST_CONTEXT_H_

#include <string>
#include <string_view>

#include "absl/time/time.h"
#include "grpcpp/server_context.h"

namespace comments::api {

// The call's deadline, capped at `max_timeout` from now so a caller that
// sets none cannot hold a database statement for ever.
absl::Time CallDeadline(const grpc::ServerContextBase& context,
                        absl::Duration max_timeout);

// The IP address of a gRPC peer string ("ipv4:1.2.3.4:567",
// "ipv6:[::1]:567"); empty for other transports.
std::string PeerIp(std::string_view peer);

// The first value of metadata `key`, or empty.
std::string MetadataValue(const grpc::ServerContextBase& context,
                          std::string_view key);

}  // namespace comments::api

#endif  // COMMENTS_SERVICE_API_REQUEST_CONTEXT_H_
