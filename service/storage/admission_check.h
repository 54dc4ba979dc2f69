// The abuse checks a public submission must pass in the same transaction
// that stores it: flood control (domain/flood_control.h) per email and per
// client IP, and duplicate detection. Carried on NewComment::admission and
// applied by storage/admission.h.
#ifndef COMMENTS_SERVICE_STORAGE_ADMISSION_CHECK_H_
#define COMMENTS_SERVICE_STORAGE_ADMISSION_CHECK_H_

#include <string>
#include <vector>

#include "service/common/clock.h"
#include "service/domain/flood_control.h"

namespace comments::storage {

// One rate-limited key.
struct LimitKey {
  // A keyed hash (security/keyed_hash.h): neither an address nor an IP is
  // stored in the limits table.
  std::string key;
  // google.rpc.QuotaFailure subject when this key is over its limit; never
  // the value itself, e.g. "comment.author_email" or "client_ip".
  std::string subject;
  // The token bucket applies as well as the interval.
  bool token_bucket = false;
};

struct AdmissionCheck {
  // Read once the limit rows are locked, so that the time a decision uses
  // is never older than the state it reads. Not owned; null means
  // SystemClock().
  const Clock* clock = nullptr;
  domain::FloodPolicy policy;
  std::vector<LimitKey> limits;
  // ALREADY_EXISTS (reason DUPLICATE_COMMENT) when a comment with the same
  // thread, email_hash and body_hash is stored, in any state.
  bool reject_duplicates = true;
};

}  // namespace comments::storage

#endif  // COMMENTS_SERVICE_STORAGE_ADMISSION_CHECK_H_
