// The google.rpc details of a status as a client holds it: the client
// library (client/lib/call_support.h) keeps each detail of the answer as a
// payload keyed by its type URL. Tests read them back here, as any gRPC
// client would decode them.
#ifndef COMMENTS_TESTS_SUPPORT_WIRE_DETAILS_H_
#define COMMENTS_TESTS_SUPPORT_WIRE_DETAILS_H_

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "google/rpc/error_details.pb.h"

namespace comments::wire_details {

template <typename Message>
std::optional<Message> Detail(const absl::Status& status) {
  auto payload = status.GetPayload("type.googleapis.com/" +
                                   Message::descriptor()->full_name());
  if (!payload.has_value()) return std::nullopt;
  Message message;
  if (!message.ParseFromString(std::string(*payload))) return std::nullopt;
  return message;
}

inline std::optional<google::rpc::BadRequest> GetBadRequest(
    const absl::Status& status) {
  return Detail<google::rpc::BadRequest>(status);
}
inline std::optional<google::rpc::ErrorInfo> GetErrorInfo(
    const absl::Status& status) {
  return Detail<google::rpc::ErrorInfo>(status);
}
inline std::optional<google::rpc::RetryInfo> GetRetryInfo(
    const absl::Status& status) {
  return Detail<google::rpc::RetryInfo>(status);
}
inline std::optional<google::rpc::QuotaFailure> GetQuotaFailure(
    const absl::Status& status) {
  return Detail<google::rpc::QuotaFailure>(status);
}

}  // namespace comments::wire_details

#endif  // COMMENTS_TESTS_SUPPORT_WIRE_DETAILS_H_
