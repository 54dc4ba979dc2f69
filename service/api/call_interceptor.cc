#include "service/api/call_interceptor.h"

#include <optional>
#include <string>

#include "grpcpp/support/interceptor.h"
#include "service/api/library_logs.h"
#include "service/api/request_decoding.h"
#include "service/api/status_mapping.h"
#include "service/common/json_log.h"

namespace comments::api {
namespace {

using grpc::experimental::InterceptionHookPoints;
using grpc::experimental::ServerRpcInfo;

class CallInterceptor final : public grpc::experimental::Interceptor {
 public:
  explicit CallInterceptor(const ServerRpcInfo& info)
      : method_(info.method() != nullptr ? info.method() : ""),
        // Only these receive exactly one request before the handler runs,
        // so a missing message can only mean that it did not decode. For
        // client streams it also marks the end of the stream.
        single_request_(info.type() == ServerRpcInfo::Type::UNARY ||
                        info.type() == ServerRpcInfo::Type::SERVER_STREAMING) {}

  void Intercept(
      grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::POST_RECV_MESSAGE)) {
      // Taken whatever happened, so that nothing is left on this thread for
      // a later call.
      std::optional<std::string> utf8_field = TakeInvalidUtf8Field();
      if (single_request_ && methods->GetRecvMessage() == nullptr) {
        undecodable_ = UndecodableRequestError(method_, utf8_field);
        log::Debug("request not decoded",
                   {{"method", method_}, {"field", utf8_field.value_or("")}});
      }
    }
    // gRPC's own answer to an undecodable request: INTERNAL from a
    // synchronous method, UNIMPLEMENTED from a callback one (WatchQueue).
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::PRE_SEND_STATUS) &&
        undecodable_.has_value() &&
        (methods->GetSendStatus().error_code() == grpc::StatusCode::INTERNAL ||
         methods->GetSendStatus().error_code() ==
             grpc::StatusCode::UNIMPLEMENTED)) {
      methods->ModifySendStatus(ToGrpcStatus(*undecodable_));
    }
    methods->Proceed();
  }

 private:
  // Owned by gRPC for the whole call; copied only when a request fails.
  const char* const method_;
  const bool single_request_;
  // Set before the status is sent, on the same call: gRPC runs one call's
  // hooks one after another.
  std::optional<absl::Status> undecodable_;
};

}  // namespace

grpc::experimental::Interceptor*
CallInterceptorFactory::CreateServerInterceptor(ServerRpcInfo* info) {
  return new CallInterceptor(*info);
}

std::vector<
    std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
CallInterceptors() {
  std::vector<
      std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
      factories;
  factories.push_back(std::make_unique<CallInterceptorFactory>());
  return factories;
}

}  // namespace comments::api
