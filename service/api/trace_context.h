// The caller's correlation ids, copied into the log lines of its call so an
// operator can follow one request across services: the trace id of a W3C
// `traceparent` header and an `x-request-id`. Both come from the caller,
// so neither is logged as sent: a malformed traceparent is ignored, and an
// x-request-id is cut short and reduced to a small set of printable ASCII
// characters, or dropped when it looks like an email address.
#ifndef COMMENTS_SERVICE_API_TRACE_CONTEXT_H_
#define COMMENTS_SERVICE_API_TRACE_CONTEXT_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace comments::api {

// The longest x-request-id kept; longer ones are cut to this length.
inline constexpr size_t kMaxRequestIdLength = 64;

// The 32 lower-case hex digits of the trace id in a W3C traceparent
// ("00-<trace id>-<parent id>-<flags>"), or nullopt unless the header is
// well formed: two hex digits of version other than "ff", a trace id and a
// parent id that are not all zeros, two hex digits of flags. A version
// above 00 may carry more fields after the flags, as the specification
// allows; version 00 may not.
std::optional<std::string> TraceIdFromTraceparent(std::string_view header);

// The x-request-id to log: at most kMaxRequestIdLength characters, each an
// ASCII letter, digit or one of "-_.:/+=", others replaced by '_'. nullopt
// for an empty value or one holding '@' (an email address is personal
// data, whatever header it comes in).
std::optional<std::string> LoggableRequestId(std::string_view header);

}  // namespace comments::api

#endif  // COMMENTS_SERVICE_API_TRACE_CONTEXT_H_
