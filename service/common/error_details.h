// Error details carried on absl::Status as payloads, so that every layer can
// say precisely what went wrong (which fields, how long to wait) without
// depending on gRPC. The API layer turns the payloads into the
// google.rpc.Status details of the gRPC response (api/status_mapping.h).
//
// Each payload is keyed by the detail's type URL and holds the serialized
// google.rpc message, so the mapping to google.protobuf.Any is mechanical.
#ifndef COMMENTS_SERVICE_COMMON_ERROR_DETAILS_H_
#define COMMENTS_SERVICE_COMMON_ERROR_DETAILS_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "google/rpc/error_details.pb.h"

namespace comments {

// The google.rpc.ErrorInfo domain of every error this service returns.
inline constexpr char kErrorDomain[] = "comments.v1";

inline constexpr char kBadRequestTypeUrl[] =
    "type.googleapis.com/google.rpc.BadRequest";
inline constexpr char kErrorInfoTypeUrl[] =
    "type.googleapis.com/google.rpc.ErrorInfo";
inline constexpr char kRetryInfoTypeUrl[] =
    "type.googleapis.com/google.rpc.RetryInfo";
inline constexpr char kQuotaFailureTypeUrl[] =
    "type.googleapis.com/google.rpc.QuotaFailure";

// One bad field of a request. `field` is the proto path of the field as the
// caller sent it, e.g. "comment.author_email".
struct FieldViolation {
  std::string field;
  std::string description;

  bool operator==(const FieldViolation& other) const {
    return field == other.field && description == other.description;
  }
};

// INVALID_ARGUMENT listing every violation (google.rpc.BadRequest) with a
// stable machine-readable reason (google.rpc.ErrorInfo).
absl::Status InvalidArgumentError(
    std::string_view reason, const std::vector<FieldViolation>& violations);

// Attaches google.rpc.ErrorInfo{reason, domain = kErrorDomain}.
absl::Status WithErrorInfo(absl::Status status, std::string_view reason);

// Attaches google.rpc.RetryInfo: how long the caller should wait.
absl::Status WithRetryDelay(absl::Status status, absl::Duration delay);

// Attaches google.rpc.QuotaFailure with one violation.
absl::Status WithQuotaFailure(absl::Status status, std::string_view subject,
                              std::string_view description);

// Readers of the payloads above; nullopt when absent.
std::optional<google::rpc::BadRequest> GetBadRequest(
    const absl::Status& status);
std::optional<google::rpc::ErrorInfo> GetErrorInfo(const absl::Status& status);
std::optional<google::rpc::RetryInfo> GetRetryInfo(const absl::Status& status);

}  // namespace comments

#endif  // COMMENTS_SERVICE_COMMON_ERROR_DETAILS_H_
