// Start-up waits for a database that may still be starting next to the
// service (docker compose starts both at once); this is how long and how
// often it tries.
#ifndef COMMENTS_SERVICE_STARTUP_STARTUP_RETRY_H_
#define COMMENTS_SERVICE_STARTUP_STARTUP_RETRY_H_

#include <functional>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "service/common/clock.h"

namespace comments::startup {

struct RetryPolicy {
  // No attempt starts after this long since the first.
  absl::Duration give_up_after = absl::Seconds(30);
  // The first wait; each next one doubles, up to max_backoff.
  absl::Duration first_backoff = absl::Milliseconds(100);
  absl::Duration max_backoff = absl::Seconds(2);
};

// Waits between attempts; tests pass one that advances a fake clock.
using Sleeper = std::function<void(absl::Duration)>;

// Calls `attempt` until it succeeds, fails with anything but UNAVAILABLE (a
// wrong password or a broken migration does not heal by waiting), or the
// next attempt would start past the policy's limit; returns the last result.
// `on_wait` hears each UNAVAILABLE that is waited out.
absl::StatusOr<int> RetryWhileUnavailable(
    const std::function<absl::StatusOr<int>()>& attempt,
    const RetryPolicy& policy, const Clock& clock, const Sleeper& sleep,
    const std::function<void(const absl::Status&)>& on_wait);

}  // namespace comments::startup

#endif  // COMMENTS_SERVICE_STARTUP_STARTUP_RETRY_H_
