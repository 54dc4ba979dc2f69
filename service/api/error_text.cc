#include "service/api/error_text.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace comments::api {

std::string CallerMessage(const absl::Status& status) {
  if (!status.message().empty()) return std::string(status.message());
  switch (domain::GetErrorFacts(status).reason) {
    case domain::ErrorReason::kRateLimited:
      return "too many comments; wait before submitting again";
    case domain::ErrorReason::kRequestIdReused:
      return "request_id was already used for a different comment";
    case domain::ErrorReason::kModeratorExists:
      return "a moderator with this name exists or existed; names are never "
             "reused";
    default:
      return "";
  }
}

std::string DescribeQuota(const domain::QuotaViolation& quota) {
  std::vector<std::string> limits;
  if (quota.min_interval > absl::ZeroDuration()) {
    limits.push_back(absl::StrCat("at most one comment every ",
                                  absl::FormatDuration(quota.min_interval)));
  }
  if (quota.burst > 0) {
    limits.push_back(absl::StrCat("at most ", quota.burst,
                                  " comments in a burst, then ",
                                  quota.refill_per_minute, " per minute"));
  }
  return absl::StrJoin(limits, "; ");
}

std::string QuotaSubjectName(domain::QuotaSubject subject) {
  switch (subject) {
    case domain::QuotaSubject::kClientNetwork:
      return "client_ip";
  }
  return "";
}

}  // namespace comments::api
