// Per-call work that belongs to no single handler, as a gRPC server
// interceptor on every method of every service (health and reflection
// included).
//
// Today it does one thing: a request whose bytes do not decode into its
// message (a string field that is not valid UTF-8, a truncated message)
// never reaches a handler, and gRPC would answer INTERNAL with an empty
// message. The interceptor answers INVALID_ARGUMENT instead, naming the
// field when libprotobuf reported it (library_logs.h): see
// request_decoding.h.
#ifndef COMMENTS_SERVICE_API_CALL_INTERCEPTOR_H_
#define COMMENTS_SERVICE_API_CALL_INTERCEPTOR_H_

#include <memory>
#include <vector>

#include "grpcpp/support/server_interceptor.h"

namespace comments::api {

class CallInterceptorFactory final
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;
};

// What ServerBuilder::experimental().SetInterceptorCreators takes.
std::vector<
    std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
CallInterceptors();

}  // namespace comments::api

#endif  // COMMENTS_SERVICE_API_CALL_INTERCEPTOR_H_
