// What libprotobuf and gRPC core would print on standard error in their own
// formats goes through the service's JSON logger instead, so the log stays
// one JSON object per line. Neither library puts request content in its
// messages; the one message about a request, libprotobuf's refusal of a
// string field that is not valid UTF-8, is kept back for the call that
// caused it (call_interceptor.h) instead of being logged.
#ifndef COMMENTS_SERVICE_API_LIBRARY_LOGS_H_
#define COMMENTS_SERVICE_API_LIBRARY_LOGS_H_

#include <optional>
#include <string>
#include <string_view>

namespace comments::api {

// Installs the handlers. Call once in main, before serving: libprotobuf's
// handler cannot be swapped safely while other threads log.
void RouteLibraryLogsToJson();

// The full name ("comments.v1.CommentDraft.author_name") of the string field
// that libprotobuf most recently refused, on this thread, for invalid UTF-8
// while parsing; cleared by the call. nullopt when there is none, or when
// RouteLibraryLogsToJson was not called. gRPC decodes a request on the
// thread that then runs the call's interceptors, which is what makes the
// answer belong to that request.
std::optional<std::string> TakeInvalidUtf8Field();

// The field libprotobuf's message names, if the message reports a string
// field with invalid UTF-8 found while parsing. Exposed for tests.
std::optional<std::string> InvalidUtf8FieldWhileParsing(
    std::string_view message);

}  // namespace comments::api

#endif  // COMMENTS_SERVICE_API_LIBRARY_LOGS_H_
