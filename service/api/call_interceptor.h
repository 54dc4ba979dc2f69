// Per-call work that belongs to no single handler, as a gRPC server
// interceptor on every method of every service (health and reflection
// included):
// - a request whose bytes do not decode into its message (a string field
//   that is not valid UTF-8, a truncated message) never reaches a handler,
//   and gRPC would answer INTERNAL with an empty message. The interceptor
//   answers INVALID_ARGUMENT instead, naming the field when libprotobuf
//   reported it (library_logs.h): see request_decoding.h.
// - when the status is decided, one CallRecord (method, code, duration)
//   goes to every observer: the log line per call, and the metrics. The
//   observers also hear of the call's start and of each message received
//   and sent (grpc_server_started_total, grpc_server_msg_*_total).
//   Handlers neither log their outcome nor time themselves.
// - the caller's traceparent trace id and x-request-id, once checked
//   (trace_context.h), go into the record and into every line a
//   synchronous handler logs while serving the call.
#ifndef COMMENTS_SERVICE_API_CALL_INTERCEPTOR_H_
#define COMMENTS_SERVICE_API_CALL_INTERCEPTOR_H_

#include <memory>
#include <utility>
#include <vector>

#include "grpcpp/support/server_interceptor.h"
#include "service/api/call_record.h"

namespace comments::api {

class CallInterceptorFactory final
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  // `observers` are not owned and must outlive the server.
  explicit CallInterceptorFactory(std::vector<const CallObserver*> observers)
      : observers_(std::move(observers)) {}

  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;

 private:
  const std::vector<const CallObserver*> observers_;
};

// What ServerBuilder::experimental().SetInterceptorCreators takes: the
// interceptor reporting to `observers`, or by default to the call log alone.
std::vector<
    std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
CallInterceptors(std::vector<const CallObserver*> observers);
std::vector<
    std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
CallInterceptors();

}  // namespace comments::api

#endif  // COMMENTS_SERVICE_API_CALL_INTERCEPTOR_H_
