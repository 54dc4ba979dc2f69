#include "service/startup/startup_retry.h"

#include <algorithm>

namespace comments::startup {

absl::StatusOr<int> RetryWhileUnavailable(
    const std::function<absl::StatusOr<int>()>& attempt,
    const RetryPolicy& policy, const Clock& clock, const Sleeper& sleep,
    const std::function<void(const absl::Status&)>& on_wait) {
  const absl::Time give_up = clock.Now() + policy.give_up_after;
  absl::Duration backoff = policy.first_backoff;
  while (true) {
    absl::StatusOr<int> result = attempt();
    if (result.ok() ||
        result.status().code() != absl::StatusCode::kUnavailable ||
        clock.Now() + backoff > give_up) {
      return result;
    }
    on_wait(result.status());
    sleep(backoff);
    backoff = std::min(backoff * 2, policy.max_backoff);
  }
}

}  // namespace comments::startup
