// Typed errors: an absl::Status that carries, besides its code and message,
// the facts a caller can act on — the reason (declared once, in the
// contract's enum ErrorReason), every bad field, how long to wait, which
// limit refused. The domain, storage, security and the use cases build
// errors only here; only the API layer turns the facts into google.rpc
// details (api/status_mapping.h), so nothing below it links protobuf.
#ifndef COMMENTS_SERVICE_DOMAIN_ERROR_H_
#define COMMENTS_SERVICE_DOMAIN_ERROR_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "service/domain/error_reason.h"  // generated from the contract

namespace comments::domain {

// One bad field of a request. `field` is the proto path of the field as the
// caller sent it, e.g. "comment.author_email".
struct FieldViolation {
  std::string field;
  std::string description;

  bool operator==(const FieldViolation& other) const {
    return field == other.field && description == other.description;
  }
};

// Whose quota refused a request.
enum class QuotaSubject {
  kClientNetwork,  // the caller's own client network
};

// Which rate limits refused a request, as configured: the API layer words
// them for the caller. A zero interval or burst is a limit turned off.
struct QuotaViolation {
  QuotaSubject subject = QuotaSubject::kClientNetwork;
  absl::Duration min_interval;
  int burst = 0;
  double refill_per_minute = 0;

  bool operator==(const QuotaViolation& other) const {
    return subject == other.subject && min_interval == other.min_interval &&
           burst == other.burst && refill_per_minute == other.refill_per_minute;
  }
};

struct ErrorFacts {
  ErrorReason reason = ErrorReason::kUnspecified;
  std::vector<FieldViolation> field_violations;
  std::optional<absl::Duration> retry_delay;
  std::optional<QuotaViolation> quota;

  bool operator==(const ErrorFacts& other) const {
    return reason == other.reason &&
           field_violations == other.field_violations &&
           retry_delay == other.retry_delay && quota == other.quota;
  }
};

// `status` carrying `facts`, replacing any it carried. An OK status carries
// nothing. An empty message is left for the API layer to word from the
// facts (storage writes no text for people).
absl::Status WithFacts(absl::Status status, const ErrorFacts& facts);

// The facts `status` carries; empty facts when it carries none.
ErrorFacts GetErrorFacts(const absl::Status& status);

// INVALID_ARGUMENT listing every violation, with `reason`; the message names
// each field, e.g. "invalid request: parent is required; body is required".
absl::Status InvalidArgumentError(
    ErrorReason reason, const std::vector<FieldViolation>& violations);

// `status` with its facts' reason (or retry delay) set; the other facts stay.
absl::Status WithReason(absl::Status status, ErrorReason reason);
absl::Status WithRetryDelay(absl::Status status, absl::Duration delay);

}  // namespace comments::domain

#endif  // COMMENTS_SERVICE_DOMAIN_ERROR_H_
