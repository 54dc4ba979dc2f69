// What the server knows about a call once it has ended, whatever the method
// and whoever handled it. The call interceptor builds one per call and hands
// it to every CallObserver: the log line is one observer, the per-method
// metrics another, without touching any handler. Observers also hear when a
// call starts and of every message it receives and sends.
#ifndef COMMENTS_SERVICE_API_CALL_RECORD_H_
#define COMMENTS_SERVICE_API_CALL_RECORD_H_

#include <string>
#include <string_view>

#include "absl/time/time.h"
#include "grpcpp/support/status.h"

namespace comments::api {

// How a method streams, from its declaration.
enum class CallType { kUnary, kClientStream, kServerStream, kBidiStream };

// "unary", "client_stream", "server_stream", "bidi_stream": the grpc_type
// label of the usual gRPC server metrics.
std::string_view CallTypeName(CallType type);

// Which call an event is about.
struct CallMethod {
  // The full gRPC method, "/comments.v1.CommentService/CreateComment".
  std::string_view method;
  CallType type = CallType::kUnary;
};

struct CallRecord {
  // The full gRPC method, "/comments.v1.CommentService/CreateComment".
  std::string method;
  CallType type = CallType::kUnary;
  grpc::StatusCode code = grpc::StatusCode::OK;
  // Text for people; kept only for the failures an operator must look at
  // (ServerFault), where it comes from the server, never from the caller.
  std::string message;
  absl::Duration duration;
  // The caller's correlation ids as trace_context.h makes them safe to log;
  // empty when the caller sent none (or a malformed one).
  std::string trace_id;
  std::string x_request_id;
};

// Codes that say the server, not the caller, failed.
bool ServerFault(grpc::StatusCode code);

// The short name of a code, "OK", "INVALID_ARGUMENT", as gRPC spells it.
std::string CodeName(grpc::StatusCode code);

// Every call is started once and ended once; messages come in between.
class CallObserver {
 public:
  virtual ~CallObserver() = default;
  // Called on a gRPC thread, when the call arrives, when a request message
  // has been received (decoded), and when a response message goes out; each
  // must be quick and must not block. Nothing by default.
  virtual void OnCallStart(const CallMethod&) const {}
  virtual void OnMessageReceived(const CallMethod&) const {}
  virtual void OnMessageSent(const CallMethod&) const {}
  // Called once per call, on a gRPC thread, after the status is decided;
  // must be quick and must not block.
  virtual void OnCallEnd(const CallRecord& record) const = 0;
};

// The one log line per call: method, code and duration; the message only
// for server faults. Nothing about the caller (no token, address or email)
// is ever part of a record.
class CallLogger final : public CallObserver {
 public:
  void OnCallEnd(const CallRecord& record) const override;
};

}  // namespace comments::api

#endif  // COMMENTS_SERVICE_API_CALL_RECORD_H_
