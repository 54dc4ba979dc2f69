// The usual gRPC server metrics, with the names and labels that
// go-grpc-prometheus made common, so existing dashboards and alerts fit:
//   grpc_server_started_total{grpc_service,grpc_method,grpc_type}
//   grpc_server_handled_total{grpc_service,grpc_method,grpc_type,grpc_code}
//   grpc_server_handling_seconds{grpc_service,grpc_method,grpc_type}
//   grpc_server_msg_received_total{grpc_service,grpc_method,grpc_type}
//   grpc_server_msg_sent_total{grpc_service,grpc_method,grpc_type}
// One observer of the call interceptor (api/call_interceptor.h), so every
// method of every service is counted the same way, streams included, and
// no handler counts anything. Labels come from the method and the status
// code alone: nothing about the caller.
#ifndef COMMENTS_SERVICE_METRICS_GRPC_SERVER_METRICS_H_
#define COMMENTS_SERVICE_METRICS_GRPC_SERVER_METRICS_H_

#include <map>
#include <string>
#include <string_view>

#include "prometheus/counter.h"
#include "prometheus/family.h"
#include "prometheus/histogram.h"
#include "prometheus/registry.h"
#include "service/api/call_record.h"

namespace comments::metrics {

// The grpc_service, grpc_method and grpc_type labels of a call:
// "/comments.v1.CommentService/CreateComment" is service
// "comments.v1.CommentService", method "CreateComment".
std::map<std::string, std::string> MethodLabels(std::string_view method,
                                                api::CallType type);

// The grpc_code label: the code as Go's gRPC spells it ("OK",
// "InvalidArgument", "ResourceExhausted"), as go-grpc-prometheus writes it.
std::string CodeLabel(grpc::StatusCode code);

class GrpcServerMetrics final : public api::CallObserver {
 public:
  // The families are registered in `registry`, which must outlive this.
  explicit GrpcServerMetrics(prometheus::Registry& registry);

  void OnCallStart(const api::CallMethod& call) const override;
  void OnMessageReceived(const api::CallMethod& call) const override;
  void OnMessageSent(const api::CallMethod& call) const override;
  void OnCallEnd(const api::CallRecord& record) const override;

 private:
  prometheus::Family<prometheus::Counter>& started_;
  prometheus::Family<prometheus::Counter>& handled_;
  prometheus::Family<prometheus::Histogram>& handling_seconds_;
  prometheus::Family<prometheus::Counter>& received_;
  prometheus::Family<prometheus::Counter>& sent_;
};

}  // namespace comments::metrics

#endif  // COMMENTS_SERVICE_METRICS_GRPC_SERVER_METRICS_H_
