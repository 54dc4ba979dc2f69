#include "service/metrics/grpc_server_metrics.h"

#include "absl/time/time.h"

namespace comments::metrics {
namespace {

// Prometheus' default buckets, which go-grpc-prometheus uses too.
const prometheus::Histogram::BucketBoundaries& HandlingBuckets() {
  static const auto* const kBuckets =
      new prometheus::Histogram::BucketBoundaries{
          0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
  return *kBuckets;
}

}  // namespace

std::map<std::string, std::string> MethodLabels(std::string_view method,
                                                api::CallType type) {
  std::string_view service = "unknown";
  std::string_view name = "unknown";
  if (!method.empty() && method.front() == '/') method.remove_prefix(1);
  if (const size_t slash = method.find('/'); slash != std::string_view::npos &&
                                             slash > 0 &&
                                             slash + 1 < method.size()) {
    service = method.substr(0, slash);
    name = method.substr(slash + 1);
  }
  return {{"grpc_service", std::string(service)},
          {"grpc_method", std::string(name)},
          {"grpc_type", std::string(api::CallTypeName(type))}};
}

std::string CodeLabel(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK:
      return "OK";
    case grpc::StatusCode::CANCELLED:
      return "Canceled";
    case grpc::StatusCode::UNKNOWN:
      return "Unknown";
    case grpc::StatusCode::INVALID_ARGUMENT:
      return "InvalidArgument";
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return "DeadlineExceeded";
    case grpc::StatusCode::NOT_FOUND:
      return "NotFound";
    case grpc::StatusCode::ALREADY_EXISTS:
      return "AlreadyExists";
    case grpc::StatusCode::PERMISSION_DENIED:
      return "PermissionDenied";
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return "ResourceExhausted";
    case grpc::StatusCode::FAILED_PRECONDITION:
      return "FailedPrecondition";
    case grpc::StatusCode::ABORTED:
      return "Aborted";
    case grpc::StatusCode::OUT_OF_RANGE:
      return "OutOfRange";
    case grpc::StatusCode::UNIMPLEMENTED:
      return "Unimplemented";
    case grpc::StatusCode::INTERNAL:
      return "Internal";
    case grpc::StatusCode::UNAVAILABLE:
      return "Unavailable";
    case grpc::StatusCode::DATA_LOSS:
      return "DataLoss";
    case grpc::StatusCode::UNAUTHENTICATED:
      return "Unauthenticated";
    default:
      return "Unknown";
  }
}

GrpcServerMetrics::GrpcServerMetrics(prometheus::Registry& registry)
    : started_(prometheus::BuildCounter()
                   .Name("grpc_server_started_total")
                   .Help("RPCs started on the server.")
                   .Register(registry)),
      handled_(prometheus::BuildCounter()
                   .Name("grpc_server_handled_total")
                   .Help("RPCs completed on the server, whatever their code.")
                   .Register(registry)),
      handling_seconds_(
          prometheus::BuildHistogram()
              .Name("grpc_server_handling_seconds")
              .Help("Time from an RPC's arrival to its status, in seconds.")
              .Register(registry)),
      received_(prometheus::BuildCounter()
                    .Name("grpc_server_msg_received_total")
                    .Help("Request messages received by the server.")
                    .Register(registry)),
      sent_(prometheus::BuildCounter()
                .Name("grpc_server_msg_sent_total")
                .Help("Response messages sent by the server.")
                .Register(registry)) {}

void GrpcServerMetrics::OnCallStart(const api::CallMethod& call) const {
  started_.Add(MethodLabels(call.method, call.type)).Increment();
}

void GrpcServerMetrics::OnMessageReceived(const api::CallMethod& call) const {
  received_.Add(MethodLabels(call.method, call.type)).Increment();
}

void GrpcServerMetrics::OnMessageSent(const api::CallMethod& call) const {
  sent_.Add(MethodLabels(call.method, call.type)).Increment();
}

void GrpcServerMetrics::OnCallEnd(const api::CallRecord& record) const {
  std::map<std::string, std::string> labels =
      MethodLabels(record.method, record.type);
  handling_seconds_.Add(labels, HandlingBuckets())
      .Observe(absl::ToDoubleSeconds(record.duration));
  labels["grpc_code"] = CodeLabel(record.code);
  handled_.Add(labels).Increment();
}

}  // namespace comments::metrics
