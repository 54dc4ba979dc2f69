// How a handler ends a call: the status mapped for gRPC, and a log line for
// the failures an operator must see. A caller's own mistakes, lost races and
// refusals are the caller's business and stay out of the log.
#ifndef COMMENTS_SERVICE_API_CALL_OUTCOME_H_
#define COMMENTS_SERVICE_API_CALL_OUTCOME_H_

#include <string_view>

#include "absl/status/status.h"
#include "grpcpp/support/status.h"

namespace comments::api {

grpc::Status FinishCall(std::string_view method, const absl::Status& status);

}  // namespace comments::api

#endif  // COMMENTS_SERVICE_API_CALL_OUTCOME_H_
