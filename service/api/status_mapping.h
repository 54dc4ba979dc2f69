// The one place where absl::Status becomes grpc::Status. Payloads attached
// with service/common/error_details.h become the google.rpc.Status details
// (grpc-status-details-bin) that any gRPC client can decode.
#ifndef COMMENTS_SERVICE_API_STATUS_MAPPING_H_
#define COMMENTS_SERVICE_API_STATUS_MAPPING_H_

#include "absl/status/status.h"
#include "google/rpc/status.pb.h"
#include "grpcpp/support/status.h"

namespace comments::api {

grpc::Status ToGrpcStatus(const absl::Status& status);

// The same as a google.rpc.Status message, for statuses carried inside a
// response (e.g. one per comment of a batch).
google::rpc::Status ToRpcStatus(const absl::Status& status);

}  // namespace comments::api

#endif  // COMMENTS_SERVICE_API_STATUS_MAPPING_H_
