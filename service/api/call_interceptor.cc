#include "service/api/call_interceptor.h"

#include <map>
#include <optional>
#include <string>
#include <utility>

#include "absl/time/clock.h"
#include "grpcpp/support/interceptor.h"
#include "service/api/library_logs.h"
#include "service/api/request_decoding.h"
#include "service/api/status_mapping.h"
#include "service/api/trace_context.h"
#include "service/common/json_log.h"

namespace comments::api {
namespace {

using grpc::experimental::InterceptionHookPoints;
using grpc::experimental::ServerRpcInfo;

CallType TypeOf(ServerRpcInfo::Type type) {
  switch (type) {
    case ServerRpcInfo::Type::UNARY:
      return CallType::kUnary;
    case ServerRpcInfo::Type::CLIENT_STREAMING:
      return CallType::kClientStream;
    case ServerRpcInfo::Type::SERVER_STREAMING:
      return CallType::kServerStream;
    case ServerRpcInfo::Type::BIDI_STREAMING:
      return CallType::kBidiStream;
  }
  return CallType::kUnary;
}

class CallInterceptor final : public grpc::experimental::Interceptor {
 public:
  CallInterceptor(const ServerRpcInfo& info,
                  const std::vector<const CallObserver*>& observers)
      : method_(info.method() != nullptr ? info.method() : ""),
        type_(TypeOf(info.type())),
        // Only these receive exactly one request before the handler runs,
        // so a missing message can only mean that it did not decode. For
        // client streams it also marks the end of the stream.
        single_request_(info.type() == ServerRpcInfo::Type::UNARY ||
                        info.type() == ServerRpcInfo::Type::SERVER_STREAMING),
        observers_(observers),
        // gRPC makes the interceptors when the call arrives.
        start_(absl::Now()) {
    for (const CallObserver* observer : observers_) {
      observer->OnCallStart(call());
    }
  }

  // A call that ends without sending a status (the caller went away first)
  // is still reported, once.
  ~CallInterceptor() override {
    if (!reported_) {
      Report(grpc::Status(grpc::StatusCode::CANCELLED, "no status sent"));
    }
  }

  void Intercept(
      grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::POST_RECV_INITIAL_METADATA)) {
      ReadTraceContext(*methods->GetRecvInitialMetadata());
    }
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::POST_RECV_MESSAGE)) {
      // Taken whatever happened, so that nothing is left on this thread for
      // a later call.
      std::optional<std::string> utf8_field = TakeInvalidUtf8Field();
      if (methods->GetRecvMessage() != nullptr) {
        for (const CallObserver* observer : observers_) {
          observer->OnMessageReceived(call());
        }
      } else if (single_request_) {
        undecodable_ = UndecodableRequestError(method_, utf8_field);
        log::Debug("request not decoded",
                   {{"method", method_}, {"field", utf8_field.value_or("")}});
      }
    }
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::PRE_SEND_MESSAGE)) {
      for (const CallObserver* observer : observers_) {
        observer->OnMessageSent(call());
      }
    }
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::PRE_SEND_STATUS)) {
      // gRPC's own answer to an undecodable request: INTERNAL from a
      // synchronous method, UNIMPLEMENTED from a callback one (WatchQueue).
      if (undecodable_.has_value() && (methods->GetSendStatus().error_code() ==
                                           grpc::StatusCode::INTERNAL ||
                                       methods->GetSendStatus().error_code() ==
                                           grpc::StatusCode::UNIMPLEMENTED)) {
        methods->ModifySendStatus(ToGrpcStatus(*undecodable_));
      }
      Report(methods->GetSendStatus());
    }
    // A synchronous handler runs inside Proceed, on this thread: every line
    // it writes carries the caller's ids.
    if (trace_fields_.empty()) {
      methods->Proceed();
    } else {
      log::ScopedFields scope(trace_fields_);
      methods->Proceed();
    }
  }

 private:
  void ReadTraceContext(
      const std::multimap<grpc::string_ref, grpc::string_ref>& metadata) {
    const auto header = [&metadata](std::string_view key) {
      const auto found =
          metadata.find(grpc::string_ref(key.data(), key.size()));
      return found == metadata.end()
                 ? std::string_view()
                 : std::string_view(found->second.data(), found->second.size());
    };
    if (auto trace_id = TraceIdFromTraceparent(header("traceparent"))) {
      trace_id_ = *std::move(trace_id);
      trace_fields_["trace_id"] = trace_id_;
    }
    if (auto request_id = LoggableRequestId(header("x-request-id"))) {
      x_request_id_ = *std::move(request_id);
      trace_fields_["x_request_id"] = x_request_id_;
    }
  }

  void Report(const grpc::Status& status) {
    reported_ = true;
    CallRecord record;
    record.method = method_;
    record.type = type_;
    record.code = status.error_code();
    if (ServerFault(record.code)) record.message = status.error_message();
    record.duration = absl::Now() - start_;
    record.trace_id = trace_id_;
    record.x_request_id = x_request_id_;
    for (const CallObserver* observer : observers_) observer->OnCallEnd(record);
  }

  CallMethod call() const { return {method_, type_}; }

  // Owned by gRPC for the whole call.
  const char* const method_;
  const CallType type_;
  const bool single_request_;
  const std::vector<const CallObserver*>& observers_;
  const absl::Time start_;
  // Set before the status is sent, on the same call: gRPC runs one call's
  // hooks one after another.
  std::optional<absl::Status> undecodable_;
  bool reported_ = false;
  std::string trace_id_;
  std::string x_request_id_;
  // The two above as log fields; empty when the caller sent neither.
  nlohmann::json trace_fields_ = nlohmann::json::object();
};

}  // namespace

grpc::experimental::Interceptor*
CallInterceptorFactory::CreateServerInterceptor(ServerRpcInfo* info) {
  return new CallInterceptor(*info, observers_);
}

std::vector<
    std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
CallInterceptors(std::vector<const CallObserver*> observers) {
  std::vector<
      std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
      factories;
  factories.push_back(
      std::make_unique<CallInterceptorFactory>(std::move(observers)));
  return factories;
}

std::vector<
    std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
CallInterceptors() {
  static const CallLogger* const kLogger = new CallLogger();
  return CallInterceptors({kLogger});
}

}  // namespace comments::api
