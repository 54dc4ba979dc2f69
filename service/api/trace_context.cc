#include "service/api/trace_context.h"

#include "absl/strings/ascii.h"

namespace comments::api {
namespace {

constexpr size_t kVersionLength = 2;
constexpr size_t kTraceIdLength = 32;
constexpr size_t kParentIdLength = 16;
constexpr size_t kFlagsLength = 2;

// Lower-case hex only: the specification forbids upper case, and a header
// that breaks one rule is not trusted for the others.
bool IsLowerHex(std::string_view text) {
  for (char c : text) {
    if (!absl::ascii_isdigit(c) && (c < 'a' || c > 'f')) return false;
  }
  return !text.empty();
}

bool AllZeros(std::string_view text) {
  return text.find_first_not_of('0') == std::string_view::npos;
}

bool IsKeptRequestIdChar(char c) {
  return absl::ascii_isalnum(c) || c == '-' || c == '_' || c == '.' ||
         c == ':' || c == '/' || c == '+' || c == '=';
}

}  // namespace

std::optional<std::string> TraceIdFromTraceparent(std::string_view header) {
  constexpr size_t kLength = kVersionLength + 1 + kTraceIdLength + 1 +
                             kParentIdLength + 1 + kFlagsLength;
  if (header.size() < kLength) return std::nullopt;
  const std::string_view version = header.substr(0, kVersionLength);
  if (!IsLowerHex(version) || version == "ff") return std::nullopt;
  if (header.size() > kLength && (version == "00" || header[kLength] != '-')) {
    return std::nullopt;
  }
  size_t at = kVersionLength;
  const auto field = [&header, &at](size_t length) -> std::string_view {
    if (header[at] != '-') return {};
    const std::string_view value = header.substr(at + 1, length);
    at += 1 + length;
    return value;
  };
  const std::string_view trace_id = field(kTraceIdLength);
  const std::string_view parent_id = field(kParentIdLength);
  const std::string_view flags = field(kFlagsLength);
  if (!IsLowerHex(trace_id) || AllZeros(trace_id) || !IsLowerHex(parent_id) ||
      AllZeros(parent_id) || !IsLowerHex(flags)) {
    return std::nullopt;
  }
  return std::string(trace_id);
}

std::optional<std::string> LoggableRequestId(std::string_view header) {
  if (header.empty() || header.find('@') != std::string_view::npos)
    return std::nullopt;
  std::string id(header.substr(0, kMaxRequestIdLength));
  for (char& c : id) {
    if (!IsKeptRequestIdChar(c)) c = '_';
  }
  return id;
}

}  // namespace comments::api
