// The one place where absl::Status becomes grpc::Status, and the only code
// that builds google.rpc details: the typed facts a status carries
// (domain/error.h) become the google.rpc.Status details
// (grpc-status-details-bin) that any gRPC client can decode.
#ifndef COMMENTS_SERVICE_API_STATUS_MAPPING_H_
#define COMMENTS_SERVICE_API_STATUS_MAPPING_H_

#include <optional>

#include "absl/status/status.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpcpp/support/status.h"

namespace comments::api {

// google.rpc.ErrorInfo.domain of every error this service returns.
inline constexpr char kErrorDomain[] = "comments.v1";

grpc::Status ToGrpcStatus(const absl::Status& status);

// The same as a google.rpc.Status message, for statuses carried inside a
// response (e.g. one per comment of a batch). Its details, in this order,
// each only when the facts have it: BadRequest (the field violations),
// ErrorInfo (the reason's name, domain kErrorDomain), RetryInfo (the retry
// delay), QuotaFailure (one violation: the quota's subject and limits).
google::rpc::Status ToRpcStatus(const absl::Status& status);

// Each detail ToRpcStatus gives `status`; nullopt when it gives none.
std::optional<google::rpc::BadRequest> GetBadRequest(
    const absl::Status& status);
std::optional<google::rpc::ErrorInfo> GetErrorInfo(const absl::Status& status);
std::optional<google::rpc::RetryInfo> GetRetryInfo(const absl::Status& status);
std::optional<google::rpc::QuotaFailure> GetQuotaFailure(
    const absl::Status& status);

}  // namespace comments::api

#endif  // COMMENTS_SERVICE_API_STATUS_MAPPING_H_
