#include "service/api/call_outcome.h"

#include <string>

#include "service/api/status_mapping.h"
#include "service/common/json_log.h"

namespace comments::api {

grpc::Status FinishCall(std::string_view method, const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kOk:
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kNotFound:
    case absl::StatusCode::kAlreadyExists:
    case absl::StatusCode::kFailedPrecondition:
    case absl::StatusCode::kAborted:
    case absl::StatusCode::kResourceExhausted:
    case absl::StatusCode::kCancelled:
      break;
    case absl::StatusCode::kUnauthenticated:
      // Logged without the token: a stream of these is an attack or a
      // misconfigured tool.
      log::Info("authentication failed", {{"method", std::string(method)}});
      break;
    default:
      log::Warning("call failed",
                   {{"method", std::string(method)},
                    {"code", absl::StatusCodeToString(status.code())},
                    {"error", std::string(status.message())}});
  }
  return ToGrpcStatus(status);
}

}  // namespace comments::api
