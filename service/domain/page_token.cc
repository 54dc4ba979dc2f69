#include "service/domain/page_token.h"

#include <algorithm>
#include <optional>
#include <vector>

#include "service/domain/error.h"

namespace comments::domain {

absl::StatusOr<Page> ResolvePage(const PageRequest& request,
                                 std::string_view query,
                                 const PageLimits& limits,
                                 const PageTokenCodec& codec) {
  // Both fields are checked so that one error lists every bad field; the
  // reason is that of the first.
  std::vector<FieldViolation> violations;
  ErrorReason reason = ErrorReason::kUnspecified;
  Page page;
  if (request.page_size < 0) {
    violations.push_back({"page_size", "must not be negative"});
    reason = ErrorReason::kInvalidPageSize;
  } else if (request.page_size == 0) {
    page.size = limits.default_page_size;
  } else {
    page.size = std::min<int>(request.page_size, limits.max_page_size);
  }
  if (!request.page_token.empty()) {
    std::optional<int64_t> after = codec.Open(request.page_token, query);
    // One description for a forged, damaged or misplaced token: which of
    // them it is would only help someone probing the format.
    if (!after.has_value() || *after < 0) {
      violations.push_back(
          {"page_token",
           "must be a next_page_token returned by a previous call with the "
           "same parameters"});
      if (reason == ErrorReason::kUnspecified) {
        reason = ErrorReason::kInvalidPageToken;
      }
    } else {
      page.after = *after;
    }
  }
  if (!violations.empty()) return InvalidArgumentError(reason, violations);
  return page;
}

}  // namespace comments::domain
