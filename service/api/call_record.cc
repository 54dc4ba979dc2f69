#include "service/api/call_record.h"

#include "absl/status/status.h"
#include "service/common/json_log.h"

namespace comments::api {

bool ServerFault(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::UNKNOWN:
    case grpc::StatusCode::DEADLINE_EXCEEDED:
    case grpc::StatusCode::UNIMPLEMENTED:
    case grpc::StatusCode::INTERNAL:
    case grpc::StatusCode::UNAVAILABLE:
    case grpc::StatusCode::DATA_LOSS:
      return true;
    default:
      return false;
  }
}

std::string_view CallTypeName(CallType type) {
  switch (type) {
    case CallType::kUnary:
      return "unary";
    case CallType::kClientStream:
      return "client_stream";
    case CallType::kServerStream:
      return "server_stream";
    case CallType::kBidiStream:
      return "bidi_stream";
  }
  return "unary";
}

std::string CodeName(grpc::StatusCode code) {
  // gRPC and Abseil number their codes alike, and Abseil names them.
  return absl::StatusCodeToString(static_cast<absl::StatusCode>(code));
}

void CallLogger::OnCallEnd(const CallRecord& record) const {
  nlohmann::json fields = {
      {"method", record.method},
      {"code", CodeName(record.code)},
      {"duration_ms", absl::ToDoubleMilliseconds(record.duration)}};
  if (!record.trace_id.empty()) fields["trace_id"] = record.trace_id;
  if (!record.x_request_id.empty()) {
    fields["x_request_id"] = record.x_request_id;
  }
  const bool fault = ServerFault(record.code);
  if (fault) fields["error"] = record.message;
  log::Write(fault ? log::Level::kWarning : log::Level::kInfo, "call", fields);
}

}  // namespace comments::api
