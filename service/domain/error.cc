#include "service/domain/error.h"

#include <cstdint>
#include <string>
#include <utility>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"

namespace comments::domain {
namespace {

// The facts travel as one JSON payload under this key. They never leave the
// process (the API layer rewrites them as google.rpc details), so the
// encoding is free to change with this file.
constexpr char kFactsPayloadKey[] = "comments.internal/ErrorFacts";

nlohmann::json Encode(const ErrorFacts& facts) {
  nlohmann::json out = nlohmann::json::object();
  if (facts.reason != ErrorReason::kUnspecified) {
    out["reason"] = static_cast<int>(facts.reason);
  }
  if (!facts.field_violations.empty()) {
    nlohmann::json& violations = out["violations"] = nlohmann::json::array();
    for (const FieldViolation& violation : facts.field_violations) {
      violations.push_back({violation.field, violation.description});
    }
  }
  if (facts.retry_delay.has_value()) {
    out["retry_delay_ns"] = absl::ToInt64Nanoseconds(*facts.retry_delay);
  }
  if (facts.quota.has_value()) {
    out["quota"] = {{"subject", static_cast<int>(facts.quota->subject)},
                    {"min_interval_ns",
                     absl::ToInt64Nanoseconds(facts.quota->min_interval)},
                    {"burst", facts.quota->burst},
                    {"refill_per_minute", facts.quota->refill_per_minute}};
  }
  return out;
}

// Throws nlohmann::json::exception on a payload Encode did not write.
ErrorFacts Decode(const nlohmann::json& in) {
  ErrorFacts facts;
  if (in.contains("reason")) {
    const auto reason = static_cast<ErrorReason>(in.at("reason").get<int>());
    if (!ErrorReasonName(reason).empty()) facts.reason = reason;
  }
  if (in.contains("violations")) {
    for (const nlohmann::json& violation : in.at("violations")) {
      facts.field_violations.push_back({violation.at(0).get<std::string>(),
                                        violation.at(1).get<std::string>()});
    }
  }
  if (in.contains("retry_delay_ns")) {
    facts.retry_delay =
        absl::Nanoseconds(in.at("retry_delay_ns").get<int64_t>());
  }
  if (in.contains("quota")) {
    const nlohmann::json& quota = in.at("quota");
    facts.quota = QuotaViolation{
        static_cast<QuotaSubject>(quota.at("subject").get<int>()),
        absl::Nanoseconds(quota.at("min_interval_ns").get<int64_t>()),
        quota.at("burst").get<int>(),
        quota.at("refill_per_minute").get<double>()};
  }
  return facts;
}

}  // namespace

absl::Status WithFacts(absl::Status status, const ErrorFacts& facts) {
  if (status.ok()) return status;
  status.SetPayload(kFactsPayloadKey, absl::Cord(Encode(facts).dump()));
  return status;
}

ErrorFacts GetErrorFacts(const absl::Status& status) {
  const auto payload = status.GetPayload(kFactsPayloadKey);
  if (!payload.has_value()) return {};
  const nlohmann::json in = nlohmann::json::parse(
      std::string(*payload), /*cb=*/nullptr, /*allow_exceptions=*/false);
  if (!in.is_object()) return {};
  try {
    return Decode(in);
  } catch (const nlohmann::json::exception&) {
    // Only this file writes the payload; a status whose payload someone
    // else set under the same key simply carries no facts.
    return {};
  }
}

absl::Status InvalidArgumentError(
    ErrorReason reason, const std::vector<FieldViolation>& violations) {
  std::string message = "invalid request:";
  for (const FieldViolation& violation : violations) {
    absl::StrAppend(&message, " ", violation.field, " ", violation.description,
                    ";");
  }
  if (!violations.empty()) message.pop_back();
  ErrorFacts facts;
  facts.reason = reason;
  facts.field_violations = violations;
  return WithFacts(absl::InvalidArgumentError(message), facts);
}

absl::Status WithReason(absl::Status status, ErrorReason reason) {
  ErrorFacts facts = GetErrorFacts(status);
  facts.reason = reason;
  return WithFacts(std::move(status), facts);
}

absl::Status WithRetryDelay(absl::Status status, absl::Duration delay) {
  ErrorFacts facts = GetErrorFacts(status);
  facts.retry_delay = delay;
  return WithFacts(std::move(status), facts);
}

}  // namespace comments::domain
