# Writes the C++ twin of the contract's enum ErrorReason
# (proto/comments/v1/error_reason.proto) as a plain header, so the domain
# names every reason without linking protobuf, and the contract stays the
# one list. Run by the build: cmake -DPROTO=... -DOUTPUT=... -P this file.
#
# Each value `NAME = N;` becomes `kName = N` (ERROR_REASON_UNSPECIFIED
# becomes kUnspecified), and ErrorReasonName returns "NAME", the string
# google.rpc.ErrorInfo.reason carries.

file(READ "${PROTO}" proto_text)
# Comments may hold braces and value names; only declarations count.
string(REGEX REPLACE "//[^\n]*" "" proto_text "${proto_text}")
string(REGEX MATCH "enum ErrorReason {[^}]*}" enum_block "${proto_text}")
if(enum_block STREQUAL "")
  message(FATAL_ERROR "${PROTO} declares no enum ErrorReason")
endif()
string(REGEX MATCHALL "[A-Z][A-Z0-9_]* *= *[0-9]+" values "${enum_block}")

set(enumerators "")
set(name_cases "")
set(all_values "")
foreach(value IN LISTS values)
  string(REGEX REPLACE " *=.*" "" name "${value}")
  string(REGEX REPLACE ".*= *" "" number "${value}")
  if(name STREQUAL "ERROR_REASON_UNSPECIFIED")
    set(enumerator kUnspecified)
  else()
    set(enumerator k)
    string(TOLOWER "${name}" lower)
    string(REPLACE "_" ";" words "${lower}")
    foreach(word IN LISTS words)
      string(SUBSTRING "${word}" 0 1 first)
      string(SUBSTRING "${word}" 1 -1 rest)
      string(TOUPPER "${first}" first)
      string(APPEND enumerator "${first}${rest}")
    endforeach()
  endif()
  string(APPEND enumerators "  ${enumerator} = ${number},\n")
  string(APPEND name_cases
    "    case ErrorReason::${enumerator}:\n      return \"${name}\";\n")
  string(APPEND all_values "    ErrorReason::${enumerator},\n")
endforeach()

set(header "// Generated from proto/comments/v1/error_reason.proto by
// service/domain/error_reason_header.cmake at build time; do not edit.
#ifndef COMMENTS_SERVICE_DOMAIN_ERROR_REASON_H_
#define COMMENTS_SERVICE_DOMAIN_ERROR_REASON_H_

#include <string_view>

namespace comments::domain {

// comments.v1.ErrorReason, value for value.
enum class ErrorReason : int {
${enumerators}};

// The value's name in the contract, which google.rpc.ErrorInfo.reason
// carries on the wire; \"\" for a number the contract does not declare.
constexpr std::string_view ErrorReasonName(ErrorReason reason) {
  switch (reason) {
${name_cases}  }
  return \"\";
}

// Every declared value, in the contract's order.
inline constexpr ErrorReason kAllErrorReasons[] = {
${all_values}};

}  // namespace comments::domain

#endif  // COMMENTS_SERVICE_DOMAIN_ERROR_REASON_H_
")
file(WRITE "${OUTPUT}" "${header}")
