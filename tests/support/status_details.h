// Reads the typed error facts a status carries (service/domain/error.h), for
// tests that assert which fields a request got wrong and which reason it was
// refused with.
#ifndef COMMENTS_TESTS_SUPPORT_STATUS_DETAILS_H_
#define COMMENTS_TESTS_SUPPORT_STATUS_DETAILS_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "service/domain/error.h"

namespace comments::testing {

// The violated fields of `status`, in order.
inline std::vector<std::string> ViolatedFields(const absl::Status& status) {
  std::vector<std::string> fields;
  for (const domain::FieldViolation& violation :
       domain::GetErrorFacts(status).field_violations) {
    fields.push_back(violation.field);
  }
  return fields;
}

// The reason of `status` as the wire names it; empty without one.
inline std::string ErrorReason(const absl::Status& status) {
  const domain::ErrorReason reason = domain::GetErrorFacts(status).reason;
  if (reason == domain::ErrorReason::kUnspecified) return "";
  return std::string(domain::ErrorReasonName(reason));
}

}  // namespace comments::testing

#endif  // COMMENTS_TESTS_SUPPORT_STATUS_DETAILS_H_
