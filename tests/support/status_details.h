// Readers of the error details tests assert on: the fields an
// INVALID_ARGUMENT names, and the ErrorInfo reason.
#ifndef COMMENTS_TESTS_SUPPORT_STATUS_DETAILS_H_
#define COMMENTS_TESTS_SUPPORT_STATUS_DETAILS_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "service/common/error_details.h"

namespace comments::testing {

// The BadRequest violations of `status`, as field names; empty for none.
inline std::vector<std::string> ViolatedFields(const absl::Status& status) {
  std::vector<std::string> fields;
  std::optional<google::rpc::BadRequest> bad_request = GetBadRequest(status);
  if (!bad_request.has_value()) return fields;
  for (const auto& violation : bad_request->field_violations()) {
    fields.push_back(violation.field());
  }
  return fields;
}

// The ErrorInfo reason of `status`; empty for none.
inline std::string Reason(const absl::Status& status) {
  std::optional<google::rpc::ErrorInfo> info = GetErrorInfo(status);
  return info.has_value() ? info->reason() : "";
}

}  // namespace comments::testing

#endif  // COMMENTS_TESTS_SUPPORT_STATUS_DETAILS_H_
