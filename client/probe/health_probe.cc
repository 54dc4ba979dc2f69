#include "client/probe/health_probe.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "grpcpp/client_context.h"

namespace comments::client {
namespace {

using grpc::health::v1::HealthCheckResponse;

const char* CodeName(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK:
      return "OK";
    case grpc::StatusCode::CANCELLED:
      return "CANCELLED";
    case grpc::StatusCode::UNKNOWN:
      return "UNKNOWN";
    case grpc::StatusCode::INVALID_ARGUMENT:
      return "INVALID_ARGUMENT";
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return "DEADLINE_EXCEEDED";
    case grpc::StatusCode::NOT_FOUND:
      return "NOT_FOUND";
    case grpc::StatusCode::ALREADY_EXISTS:
      return "ALREADY_EXISTS";
    case grpc::StatusCode::PERMISSION_DENIED:
      return "PERMISSION_DENIED";
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return "RESOURCE_EXHAUSTED";
    case grpc::StatusCode::FAILED_PRECONDITION:
      return "FAILED_PRECONDITION";
    case grpc::StatusCode::ABORTED:
      return "ABORTED";
    case grpc::StatusCode::OUT_OF_RANGE:
      return "OUT_OF_RANGE";
    case grpc::StatusCode::UNIMPLEMENTED:
      return "UNIMPLEMENTED";
    case grpc::StatusCode::INTERNAL:
      return "INTERNAL";
    case grpc::StatusCode::UNAVAILABLE:
      return "UNAVAILABLE";
    case grpc::StatusCode::DATA_LOSS:
      return "DATA_LOSS";
    case grpc::StatusCode::UNAUTHENTICATED:
      return "UNAUTHENTICATED";
    default:
      return "UNRECOGNISED";
  }
}

}  // namespace

ProbeResult InterpretHealthCheck(const grpc::Status& status,
                                 const HealthCheckResponse& response) {
  if (!status.ok()) {
    const grpc::StatusCode code = status.error_code();
    const bool no_answer = code == grpc::StatusCode::UNAVAILABLE ||
                           code == grpc::StatusCode::DEADLINE_EXCEEDED;
    // The server's error message is left out: the code says what happened,
    // and a probe's output ends up in container logs.
    return {no_answer ? kProbeConnectionFailure : kProbeRpcFailure,
            absl::StrCat("error: ", CodeName(code))};
  }
  const std::string name =
      HealthCheckResponse::ServingStatus_Name(response.status());
  return {response.status() == HealthCheckResponse::SERVING ? kProbeServing
                                                            : kProbeNotServing,
          absl::StrCat("status: ", name.empty() ? "UNRECOGNISED" : name)};
}

ProbeResult ProbeHealth(grpc::health::v1::Health::StubInterface& stub,
                        const std::string& service, absl::Duration timeout) {
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  grpc::health::v1::HealthCheckRequest request;
  request.set_service(service);
  HealthCheckResponse response;
  const grpc::Status status = stub.Check(&context, request, &response);
  return InterpretHealthCheck(status, response);
}

std::string ProbeAddressForListen(std::string_view listen) {
  const size_t colon = listen.rfind(':');
  if (colon == std::string_view::npos) return std::string(listen);
  const std::string_view host = listen.substr(0, colon);
  const std::string_view port = listen.substr(colon + 1);
  if (host.empty() || host == "0.0.0.0" || host == "*") {
    return "127.0.0.1:" + std::string(port);
  }
  if (host == "[::]" || host == "::") return "[::1]:" + std::string(port);
  return std::string(listen);
}

}  // namespace comments::client
