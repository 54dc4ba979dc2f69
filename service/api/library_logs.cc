#include "service/api/library_logs.h"

#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/stubs/logging.h"
#include "grpc/support/log.h"
#include "service/common/json_log.h"

namespace comments::api {
namespace {

// libprotobuf's wording (wire_format_lite.cc, PrintUTF8ErrorLog): "String
// field 'pkg.Message.field' contains invalid UTF-8 data when parsing a
// protocol buffer. ...". Text written for people, read here only to name the
// field; if the wording ever changes, the call is still refused as
// INVALID_ARGUMENT, without the field's name.
constexpr std::string_view kUtf8Prefix = "String field '";
constexpr std::string_view kUtf8Parsing =
    "' contains invalid UTF-8 data when parsing";

thread_local std::optional<std::string> invalid_utf8_field;

bool IsFullNameChar(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '_' ||
         c == '.';
}

log::Level ProtobufLevel(google::protobuf::LogLevel level) {
  switch (level) {
    case google::protobuf::LOGLEVEL_INFO:
      return log::Level::kInfo;
    case google::protobuf::LOGLEVEL_WARNING:
      return log::Level::kWarning;
    default:
      return log::Level::kError;
  }
}

void HandleProtobufLog(google::protobuf::LogLevel level, const char* filename,
                       int line, const std::string& message) {
  if (std::optional<std::string> field =
          InvalidUtf8FieldWhileParsing(message)) {
    invalid_utf8_field = *std::move(field);
    return;
  }
  log::Write(
      ProtobufLevel(level), message,
      {{"library", "protobuf"}, {"source", absl::StrCat(filename, ":", line)}});
}

log::Level GrpcLevel(gpr_log_severity severity) {
  switch (severity) {
    case GPR_LOG_SEVERITY_DEBUG:
      return log::Level::kDebug;
    case GPR_LOG_SEVERITY_INFO:
      return log::Level::kInfo;
    default:
      return log::Level::kError;
  }
}

void HandleGrpcLog(gpr_log_func_args* args) {
  log::Write(GrpcLevel(args->severity),
             args->message != nullptr ? args->message : "",
             {{"library", "grpc"},
              {"source", absl::StrCat(args->file != nullptr ? args->file : "",
                                      ":", args->line)}});
}

}  // namespace

void RouteLibraryLogsToJson() {
  google::protobuf::SetLogHandler(&HandleProtobufLog);
  gpr_set_log_function(&HandleGrpcLog);
}

std::optional<std::string> TakeInvalidUtf8Field() {
  std::optional<std::string> field = std::move(invalid_utf8_field);
  invalid_utf8_field.reset();
  return field;
}

std::optional<std::string> InvalidUtf8FieldWhileParsing(
    std::string_view message) {
  if (message.substr(0, kUtf8Prefix.size()) != kUtf8Prefix) {
    return std::nullopt;
  }
  std::string_view rest = message.substr(kUtf8Prefix.size());
  size_t end = 0;
  while (end < rest.size() && IsFullNameChar(rest[end])) ++end;
  if (end == 0 || rest.substr(end, kUtf8Parsing.size()) != kUtf8Parsing) {
    return std::nullopt;
  }
  return std::string(rest.substr(0, end));
}

}  // namespace comments::api
