// The abuse checks a public submission must pass in the same transaction
// that stores it: flood control (domain/flood_control.h) per client network
// and per mailbox, and duplicate detection. Carried on NewComment::admission
// and applied by storage/admission.h.
#ifndef COMMENTS_SERVICE_STORAGE_ADMISSION_CHECK_H_
#define COMMENTS_SERVICE_STORAGE_ADMISSION_CHECK_H_

#include <optional>
#include <string>
#include <vector>

#include "service/common/clock.h"
#include "service/domain/flood_control.h"

namespace comments::storage {

// One rate-limited key: keyed hashes (security/keyed_hash.h), so the limits
// table stores neither an address nor a network.
struct LimitKey {
  // Under the current hash key: the row that is locked and written.
  std::string key;
  // Under the older keys still in the hash key file: rows written before a
  // rotation, read so that a rotation never frees a limited sender.
  std::vector<std::string> older_keys;
};

struct AdmissionCheck {
  // Read once the limit rows are locked, so that the time a decision uses
  // is never older than the state it reads. Not owned; null means
  // SystemClock().
  const Clock* clock = nullptr;
  domain::FloodPolicy policy;
  // The caller's own client network (interval and token bucket). Over its
  // limit the submission is refused with a retry delay: that tells the caller
  // about its own traffic only. Unset without an IP, or with both limits
  // off.
  std::optional<LimitKey> network;
  // The author's mailbox (domain/mailbox.h; interval only). Over its limit
  // the comment is stored and flagged, never refused: a refusal would tell
  // anyone who guesses the address that it posted moments ago, and let a
  // stranger lock its owner out. Unset with the interval off.
  std::optional<LimitKey> mailbox;
  // Keyed hashes of the body's DuplicateForm under every hash key: a
  // comment of the same thread with one of them is a repeated body, whoever
  // sent it. Empty: no duplicate check.
  std::vector<std::string> body_hashes;
};

}  // namespace comments::storage

#endif  // COMMENTS_SERVICE_STORAGE_ADMISSION_CHECK_H_
