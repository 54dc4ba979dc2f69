// Flood control: at most one comment per interval from one mailbox or one
// client network, plus a token bucket per client network that bounds bursts
// and the sustained rate. Pure arithmetic over the stored state of one key;
// the storage layer keeps that state in the database, under a row lock, so
// the limits hold across every replica (storage/admission.h).
#ifndef COMMENTS_SERVICE_DOMAIN_FLOOD_CONTROL_H_
#define COMMENTS_SERVICE_DOMAIN_FLOOD_CONTROL_H_

#include <optional>

#include "absl/time/time.h"

namespace comments::domain {

struct FloodPolicy {
  // Least time between two accepted comments of one mailbox, and of one
  // client network. Zero turns the interval off.
  absl::Duration min_interval = absl::Seconds(15);
  // Token bucket per client network: it holds at most `bucket_burst`
  // comments and refills at `bucket_refill_per_minute`. A burst of 0 turns
  // it off.
  int bucket_burst = 5;
  double bucket_refill_per_minute = 1.0;
  // The client network a limit counts: the client IP's first this many
  // bits. One IPv6 subscriber is routinely given a whole /64, so per address
  // a spammer would get 2^64 fresh limits for free.
  int ipv4_prefix_length = 32;
  int ipv6_prefix_length = 64;
};

// What is stored per key (a keyed hash of a mailbox or a client network).
struct LimitState {
  // The last accepted comment; nullopt for a key never seen.
  std::optional<absl::Time> last_accepted;
  // Tokens left in the bucket right after that comment.
  double tokens = 0;
};

struct LimitVerdict {
  bool allowed = false;
  // When not allowed: how long until a comment would be (never zero).
  absl::Duration retry_after;
  // When allowed: the state to store.
  LimitState next;
};

// Decides one submission for one key at `now`. `with_bucket` applies the
// token bucket as well as the interval (IP keys). A clock that went
// backwards counts as no time passed, so skew between replicas can only
// make the limit stricter, never looser.
LimitVerdict CheckLimit(const FloodPolicy& policy, const LimitState& state,
                        bool with_bucket, absl::Time now);

// The state of one key stored twice, under two hash keys (before and after a
// key rotation): the stricter of the two, so a rotation never frees a
// limited sender.
LimitState Stricter(const LimitState& a, const LimitState& b);

// How long after its last accepted comment a key is back to a fresh state
// (interval over, bucket full); older state may be forgotten.
absl::Duration ForgetAfter(const FloodPolicy& policy);

}  // namespace comments::domain

#endif  // COMMENTS_SERVICE_DOMAIN_FLOOD_CONTROL_H_
