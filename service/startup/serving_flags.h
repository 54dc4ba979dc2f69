// The server's flags for how much work it takes on and how long it gives
// it: database connections, request size, call deadlines, the shutdown
// grace, watch streams per moderator, the intervals of background work and
// the memory of the public read cache. Each flag is also COMMENTS_<FLAG>;
// docs/operations.md explains every default. Where to connect (addresses,
// files, keys) stays in main.cc.
#ifndef COMMENTS_SERVICE_STARTUP_SERVING_FLAGS_H_
#define COMMENTS_SERVICE_STARTUP_SERVING_FLAGS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace comments::startup {

struct ServingOptions {
  // Database connections open at most.
  int db_pool_size = 8;
  // The largest request accepted.
  int max_receive_message_bytes = 64 * 1024;
  // Upper bound on a call's database work, whatever deadline it came with.
  absl::Duration max_call_timeout = absl::Seconds(10);
  // How long in-flight calls may finish after SIGTERM.
  absl::Duration shutdown_grace = absl::Seconds(4);
  // Open WatchQueue streams one moderator may hold here; 0: no limit.
  int max_watches_per_moderator = 4;
  // How often idle flood-control rows are forgotten.
  absl::Duration flood_prune_interval = absl::Minutes(1);
  // How often the moderation queue's metrics are read from the database.
  absl::Duration queue_metrics_interval = absl::Seconds(5);
  // Memory for public pages and counts (storage/public_read_cache.h), in
  // MiB; 0 turns the cache off.
  int public_cache_mib = 32;
};

// The options as the flags set them; INVALID_ARGUMENT naming the flag for
// a value below its minimum.
absl::StatusOr<ServingOptions> ServingOptionsFromFlags();

// Sets the flags above from COMMENTS_<FLAG> variables; call it before
// parsing the command line, as for the flags of main.cc.
absl::Status ApplyServingEnvironment();

}  // namespace comments::startup

#endif  // COMMENTS_SERVICE_STARTUP_SERVING_FLAGS_H_
