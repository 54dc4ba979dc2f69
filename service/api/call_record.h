// What the server knows about a call once it has ended, whatever the method
// and whoever handled it. The call interceptor builds one per call and hands
// it to every CallObserver: the log line is one observer, and per-method
// metrics are meant to become another, without touching any handler.
#ifndef COMMENTS_SERVICE_API_CALL_RECORD_H_
#define COMMENTS_SERVICE_API_CALL_RECORD_H_

#include <string>

#include "absl/time/time.h"
#include "grpcpp/support/status.h"

namespace comments::api {

struct CallRecord {
  // The full gRPC method, "/comments.v1.CommentService/CreateComment".
  std::string method;
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

class CallObserver {
 public:
  virtual ~CallObserver() = default;
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
