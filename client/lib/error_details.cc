#include "client/lib/error_details.h"

#include <optional>
#include <string>

#include "absl/strings/cord.h"
#include "google/rpc/error_details.pb.h"

namespace comments::client {
namespace {

// The google.rpc detail `Message` carried on `status`, if any.
template <typename Message>
std::optional<Message> Detail(const absl::Status& status) {
  const std::string type_url =
      "type.googleapis.com/" + Message::descriptor()->full_name();
  auto payload = status.GetPayload(type_url);
  if (!payload.has_value()) return std::nullopt;
  Message message;
  if (!message.ParseFromString(std::string(*payload))) return std::nullopt;
  return message;
}

}  // namespace

ErrorDetails GetErrorDetails(const absl::Status& status) {
  ErrorDetails details;
  if (auto bad_request = Detail<google::rpc::BadRequest>(status)) {
    for (const auto& violation : bad_request->field_violations()) {
      details.field_violations.push_back(
          {violation.field(), violation.description()});
    }
  }
  if (auto info = Detail<google::rpc::ErrorInfo>(status)) {
    details.reason = info->reason();
    details.domain = info->domain();
    if (details.domain != "comments.v1" ||
        !v1::ErrorReason_Parse(details.reason, &details.reason_value)) {
      details.reason_value = v1::ERROR_REASON_UNSPECIFIED;
    }
  }
  if (auto retry = Detail<google::rpc::RetryInfo>(status)) {
    details.retry_delay = absl::Seconds(retry->retry_delay().seconds()) +
                          absl::Nanoseconds(retry->retry_delay().nanos());
  }
  return details;
}

}  // namespace comments::client
