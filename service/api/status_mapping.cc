#include "service/api/status_mapping.h"

#include <cstdint>
#include <string>

#include "service/api/error_text.h"
#include "service/domain/error.h"

namespace comments::api {
namespace {

google::rpc::BadRequest ToBadRequest(const domain::ErrorFacts& facts) {
  google::rpc::BadRequest bad_request;
  for (const domain::FieldViolation& violation : facts.field_violations) {
    auto* out = bad_request.add_field_violations();
    out->set_field(violation.field);
    out->set_description(violation.description);
  }
  return bad_request;
}

google::rpc::ErrorInfo ToErrorInfo(const domain::ErrorFacts& facts) {
  google::rpc::ErrorInfo info;
  info.set_reason(std::string(domain::ErrorReasonName(facts.reason)));
  info.set_domain(kErrorDomain);
  return info;
}

google::rpc::RetryInfo ToRetryInfo(absl::Duration delay) {
  google::rpc::RetryInfo info;
  const int64_t nanos = absl::ToInt64Nanoseconds(delay);
  info.mutable_retry_delay()->set_seconds(nanos / 1000000000);
  info.mutable_retry_delay()->set_nanos(
      static_cast<int32_t>(nanos % 1000000000));
  return info;
}

google::rpc::QuotaFailure ToQuotaFailure(const domain::QuotaViolation& quota) {
  google::rpc::QuotaFailure failure;
  auto* violation = failure.add_violations();
  violation->set_subject(QuotaSubjectName(quota.subject));
  violation->set_description(DescribeQuota(quota));
  return failure;
}

}  // namespace

std::optional<google::rpc::BadRequest> GetBadRequest(
    const absl::Status& status) {
  const domain::ErrorFacts facts = domain::GetErrorFacts(status);
  if (facts.field_violations.empty()) return std::nullopt;
  return ToBadRequest(facts);
}

std::optional<google::rpc::ErrorInfo> GetErrorInfo(const absl::Status& status) {
  const domain::ErrorFacts facts = domain::GetErrorFacts(status);
  if (facts.reason == domain::ErrorReason::kUnspecified) return std::nullopt;
  return ToErrorInfo(facts);
}

std::optional<google::rpc::RetryInfo> GetRetryInfo(const absl::Status& status) {
  const domain::ErrorFacts facts = domain::GetErrorFacts(status);
  if (!facts.retry_delay.has_value()) return std::nullopt;
  return ToRetryInfo(*facts.retry_delay);
}

std::optional<google::rpc::QuotaFailure> GetQuotaFailure(
    const absl::Status& status) {
  const domain::ErrorFacts facts = domain::GetErrorFacts(status);
  if (!facts.quota.has_value()) return std::nullopt;
  return ToQuotaFailure(*facts.quota);
}

google::rpc::Status ToRpcStatus(const absl::Status& status) {
  google::rpc::Status details;
  details.set_code(static_cast<int>(status.code()));
  details.set_message(CallerMessage(status));
  const domain::ErrorFacts facts = domain::GetErrorFacts(status);
  if (!facts.field_violations.empty()) {
    details.add_details()->PackFrom(ToBadRequest(facts));
  }
  if (facts.reason != domain::ErrorReason::kUnspecified) {
    details.add_details()->PackFrom(ToErrorInfo(facts));
  }
  if (facts.retry_delay.has_value()) {
    details.add_details()->PackFrom(ToRetryInfo(*facts.retry_delay));
  }
  if (facts.quota.has_value()) {
    details.add_details()->PackFrom(ToQuotaFailure(*facts.quota));
  }
  return details;
}

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  const google::rpc::Status details = ToRpcStatus(status);
  // absl and gRPC share the canonical code numbering.
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()),
                      details.message(), details.SerializeAsString());
}

}  // namespace comments::api
