// Reads the error details a status carries, for tests that assert which
// fields a request got wrong and which reason it was refused with.
#ifndef COMMENTS_TESTS_SUPPORT_STATUS_DETAILS_H_
#define COMMENTS_TESTS_SUPPORT_STATUS_DETAILS_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "service/common/error_details.h"

namespace comments::testing {

// The BadRequest violations of `status`, as field names, in order.
inline std::vector<std::string> ViolatedFields(const absl::Status& status) {
  std::vector<std::string> fields;
  std::optional<google::rpc::BadRequest> bad = GetBadRequest(status);
  if (!bad.has_value()) return fields;
  for (const auto& violation : bad->field_violations()) {
    fields.push_back(violation.field());
  }
  return fields;
}

// The ErrorInfo reason of `status`; empty without one.
inline std::string ErrorReason(const absl::Status& status) {
  std::optional<google::rpc::ErrorInfo> info = GetErrorInfo(status);
  return info.has_value() ? info->reason() : "";
}

}  // namespace comments::testing

#endif  // COMMENTS_TESTS_SUPPORT_STATUS_DETAILS_H_
