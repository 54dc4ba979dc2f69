#include "client/lib/error_details.h"

namespace comments::client {

ErrorDetails GetErrorDetails(const absl::Status& status) {
  ErrorDetails details;
  if (auto bad_request = comments::GetBadRequest(status)) {
    for (const auto& violation : bad_request->field_violations()) {
      details.field_violations.push_back(
          {violation.field(), violation.description()});
    }
  }
  if (auto info = comments::GetErrorInfo(status)) {
    details.reason = info->reason();
    details.domain = info->domain();
  }
  if (auto retry = comments::GetRetryInfo(status)) {
    details.retry_delay = absl::Seconds(retry->retry_delay().seconds()) +
                          absl::Nanoseconds(retry->retry_delay().nanos());
  }
  return details;
}

}  // namespace comments::client
