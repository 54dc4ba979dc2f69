#include "service/domain/flood_control.h"

#include <algorithm>
#include <cmath>

namespace comments::domain {
namespace {

// Token counts are sums of fractions; without a little slack, a bucket
// refilled to exactly one token could read 0.9999999 and refuse.
constexpr double kTokenSlack = 1e-9;

bool BucketEnabled(const FloodPolicy& policy) {
  return policy.bucket_burst > 0 && policy.bucket_refill_per_minute > 0;
}

}  // namespace

LimitVerdict CheckLimit(const FloodPolicy& policy, const LimitState& state,
                        bool with_bucket, absl::Time now) {
  const bool bucket = with_bucket && BucketEnabled(policy);
  const absl::Duration elapsed =
      state.last_accepted.has_value()
          ? std::max(absl::ZeroDuration(), now - *state.last_accepted)
          : absl::InfiniteDuration();

  absl::Duration wait = absl::ZeroDuration();
  if (policy.min_interval > absl::ZeroDuration() &&
      elapsed < policy.min_interval) {
    wait = policy.min_interval - elapsed;
  }
  double tokens = 0;
  if (bucket) {
    const double burst = policy.bucket_burst;
    tokens = elapsed == absl::InfiniteDuration()
                 ? burst
                 : std::min(burst,
                            state.tokens + absl::ToDoubleMinutes(elapsed) *
                                               policy.bucket_refill_per_minute);
    if (tokens + kTokenSlack < 1) {
      const double minutes = (1 - tokens) / policy.bucket_refill_per_minute;
      // Rounded up to the microsecond: waiting that long is always enough.
      const absl::Duration refill =
          absl::Microseconds(std::ceil(minutes * 60e6));
      wait = std::max(wait, refill);
    }
  }

  LimitVerdict verdict;
  verdict.allowed = wait == absl::ZeroDuration();
  if (!verdict.allowed) {
    verdict.retry_after = wait;
    return verdict;
  }
  verdict.next.last_accepted = state.last_accepted.has_value()
                                   ? std::max(*state.last_accepted, now)
                                   : now;
  verdict.next.tokens = bucket ? std::max(0.0, tokens - 1) : 0;
  return verdict;
}

LimitState Stricter(const LimitState& a, const LimitState& b) {
  if (!a.last_accepted.has_value()) return b;
  if (!b.last_accepted.has_value()) return a;
  LimitState stricter;
  stricter.last_accepted = std::max(*a.last_accepted, *b.last_accepted);
  stricter.tokens = std::min(a.tokens, b.tokens);
  return stricter;
}

absl::Duration ForgetAfter(const FloodPolicy& policy) {
  absl::Duration forget = std::max(absl::ZeroDuration(), policy.min_interval);
  if (BucketEnabled(policy)) {
    forget = std::max(forget, absl::Minutes(policy.bucket_burst /
                                            policy.bucket_refill_per_minute));
  }
  return forget;
}

}  // namespace comments::domain
