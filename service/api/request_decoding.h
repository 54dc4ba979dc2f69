// The answer to a request whose bytes do not decode into its message: gRPC
// would say INTERNAL with an empty message, blaming the server for the
// caller's bytes.
#ifndef COMMENTS_SERVICE_API_REQUEST_DECODING_H_
#define COMMENTS_SERVICE_API_REQUEST_DECODING_H_

#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"

namespace comments::api {

// INVALID_ARGUMENT for a request to `method` ("/pkg.Service/Method") that
// did not decode. When `invalid_utf8_field` (a field's full name, as
// TakeInvalidUtf8Field gives it) is set, the reason is INVALID_UTF8 and a
// google.rpc.BadRequest names the field by its path in the request
// ("comment.author_name"; a repeated field without an index, which is not
// known) whenever the method's request message is in the generated pool;
// otherwise the reason is MALFORMED_REQUEST.
absl::Status UndecodableRequestError(
    std::string_view method,
    const std::optional<std::string>& invalid_utf8_field);

// The path of the field named `full_name` inside the request message of
// `method`, e.g. "comment.author_name"; nullopt when the method or the
// field is unknown.
std::optional<std::string> RequestFieldPath(std::string_view method,
                                            std::string_view full_name);

}  // namespace comments::api

#endif  // COMMENTS_SERVICE_API_REQUEST_DECODING_H_
