#include "service/common/error_details.h"

#include <utility>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"

namespace comments {
namespace {

template <typename Message>
absl::Status WithPayload(absl::Status status, const char* type_url,
                         const Message& message) {
  status.SetPayload(type_url, absl::Cord(message.SerializeAsString()));
  return status;
}

template <typename Message>
std::optional<Message> ReadPayload(const absl::Status& status,
                                   const char* type_url) {
  auto payload = status.GetPayload(type_url);
  if (!payload.has_value()) return std::nullopt;
  Message message;
  if (!message.ParseFromString(std::string(*payload))) return std::nullopt;
  return message;
}

}  // namespace

absl::Status InvalidArgumentError(
    std::string_view reason, const std::vector<FieldViolation>& violations) {
  google::rpc::BadRequest bad_request;
  std::string message = "invalid request:";
  for (const FieldViolation& violation : violations) {
    auto* out = bad_request.add_field_violations();
    out->set_field(violation.field);
    out->set_description(violation.description);
    absl::StrAppend(&message, " ", violation.field, " ", violation.description,
                    ";");
  }
  if (!violations.empty()) message.pop_back();
  absl::Status status = WithPayload(absl::InvalidArgumentError(message),
                                    kBadRequestTypeUrl, bad_request);
  return WithErrorInfo(std::move(status), reason);
}

absl::Status WithErrorInfo(absl::Status status, std::string_view reason) {
  google::rpc::ErrorInfo info;
  info.set_reason(std::string(reason));
  info.set_domain(kErrorDomain);
  return WithPayload(std::move(status), kErrorInfoTypeUrl, info);
}

absl::Status WithRetryDelay(absl::Status status, absl::Duration delay) {
  google::rpc::RetryInfo info;
  const int64_t nanos = absl::ToInt64Nanoseconds(delay);
  info.mutable_retry_delay()->set_seconds(nanos / 1000000000);
  info.mutable_retry_delay()->set_nanos(
      static_cast<int32_t>(nanos % 1000000000));
  return WithPayload(std::move(status), kRetryInfoTypeUrl, info);
}

absl::Status WithQuotaFailure(absl::Status status, std::string_view subject,
                              std::string_view description) {
  google::rpc::QuotaFailure failure;
  auto* violation = failure.add_violations();
  violation->set_subject(std::string(subject));
  violation->set_description(std::string(description));
  return WithPayload(std::move(status), kQuotaFailureTypeUrl, failure);
}

std::optional<google::rpc::BadRequest> GetBadRequest(
    const absl::Status& status) {
  return ReadPayload<google::rpc::BadRequest>(status, kBadRequestTypeUrl);
}

std::optional<google::rpc::ErrorInfo> GetErrorInfo(const absl::Status& status) {
  return ReadPayload<google::rpc::ErrorInfo>(status, kErrorInfoTypeUrl);
}

std::optional<google::rpc::RetryInfo> GetRetryInfo(const absl::Status& status) {
  return ReadPayload<google::rpc::RetryInfo>(status, kRetryInfoTypeUrl);
}

}  // namespace comments
