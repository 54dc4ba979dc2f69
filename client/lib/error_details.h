// The google.rpc details of a failed call as plain data, so callers can act
// on them (highlight the bad fields, wait as long as the server asked)
// rather than parse messages. Reads the payloads that FromGrpcStatus
// attaches: each google.rpc message keyed by its type URL. Depends on the
// contract alone, never on the service's code.
#ifndef COMMENTS_CLIENT_LIB_ERROR_DETAILS_H_
#define COMMENTS_CLIENT_LIB_ERROR_DETAILS_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "comments/v1/error_reason.pb.h"

namespace comments::client {

// One bad field of a request, as google.rpc.BadRequest names it, e.g.
// "comment.author_email".
struct FieldViolation {
  std::string field;
  std::string description;

  bool operator==(const FieldViolation& other) const {
    return field == other.field && description == other.description;
  }
};

struct ErrorDetails {
  // google.rpc.BadRequest: every bad field of the request, in the server's
  // order; empty when the error is not about fields.
  std::vector<FieldViolation> field_violations;
  // google.rpc.ErrorInfo: a stable machine-readable reason such as
  // "INVALID_COMMENT", and its domain ("comments.v1"); empty when absent.
  std::string reason;
  std::string domain;
  // The reason as the contract's enum, to compare against; UNSPECIFIED when
  // absent, from another domain, or newer than this library.
  v1::ErrorReason reason_value = v1::ERROR_REASON_UNSPECIFIED;
  // google.rpc.RetryInfo: how long to wait before trying again.
  std::optional<absl::Duration> retry_delay;
};

// Empty details for an OK status or one without payloads.
ErrorDetails GetErrorDetails(const absl::Status& status);

}  // namespace comments::client

#endif  // COMMENTS_CLIENT_LIB_ERROR_DETAILS_H_
