#include "service/startup/serving_flags.h"

#include "absl/flags/flag.h"
#include "service/config/environment_flags.h"
#include "service/startup/flag_checks.h"

namespace {
const comments::startup::ServingOptions kDefaults;

int Milliseconds(absl::Duration duration) {
  return static_cast<int>(absl::ToInt64Milliseconds(duration));
}
}  // namespace

ABSL_FLAG(int, db_pool_size, kDefaults.db_pool_size,
          "maximum open database connections (env COMMENTS_DB_POOL_SIZE)");
ABSL_FLAG(int, max_receive_message_bytes, kDefaults.max_receive_message_bytes,
          "largest request accepted (env COMMENTS_MAX_RECEIVE_MESSAGE_BYTES)");
ABSL_FLAG(int, max_call_timeout_ms, Milliseconds(kDefaults.max_call_timeout),
          "upper bound on a call's database work "
          "(env COMMENTS_MAX_CALL_TIMEOUT_MS)");
ABSL_FLAG(int, shutdown_grace_ms, Milliseconds(kDefaults.shutdown_grace),
          "how long in-flight calls may finish after SIGTERM "
          "(env COMMENTS_SHUTDOWN_GRACE_MS)");
ABSL_FLAG(int, max_watches_per_moderator, kDefaults.max_watches_per_moderator,
          "open WatchQueue streams one moderator may hold on this server; 0 "
          "for no limit (env COMMENTS_MAX_WATCHES_PER_MODERATOR)");
ABSL_FLAG(int, flood_prune_interval_ms,
          Milliseconds(kDefaults.flood_prune_interval),
          "how often idle flood-control rows are forgotten "
          "(env COMMENTS_FLOOD_PRUNE_INTERVAL_MS)");
ABSL_FLAG(int, queue_metrics_interval_ms,
          Milliseconds(kDefaults.queue_metrics_interval),
          "how often the moderation queue's metrics are read from the "
          "database (env COMMENTS_QUEUE_METRICS_INTERVAL_MS)");
ABSL_FLAG(int, public_cache_mib, kDefaults.public_cache_mib,
          "MiB of memory for recent public pages and counts; 0 turns the "
          "cache off (env COMMENTS_PUBLIC_CACHE_MIB)");

namespace comments::startup {

absl::StatusOr<ServingOptions> ServingOptionsFromFlags() {
  const int db_pool_size = absl::GetFlag(FLAGS_db_pool_size);
  const int max_receive_message_bytes =
      absl::GetFlag(FLAGS_max_receive_message_bytes);
  const int max_call_timeout_ms = absl::GetFlag(FLAGS_max_call_timeout_ms);
  const int shutdown_grace_ms = absl::GetFlag(FLAGS_shutdown_grace_ms);
  const int max_watches_per_moderator =
      absl::GetFlag(FLAGS_max_watches_per_moderator);
  const int flood_prune_interval_ms =
      absl::GetFlag(FLAGS_flood_prune_interval_ms);
  const int queue_metrics_interval_ms =
      absl::GetFlag(FLAGS_queue_metrics_interval_ms);
  const int public_cache_mib = absl::GetFlag(FLAGS_public_cache_mib);
  if (absl::Status checked = CheckMinimums({
          {"db_pool_size", db_pool_size, 1},
          {"max_receive_message_bytes", max_receive_message_bytes, 1},
          {"max_call_timeout_ms", max_call_timeout_ms, 1},
          {"shutdown_grace_ms", shutdown_grace_ms, 0},
          {"max_watches_per_moderator", max_watches_per_moderator, 0},
          {"flood_prune_interval_ms", flood_prune_interval_ms, 1},
          {"queue_metrics_interval_ms", queue_metrics_interval_ms, 1},
          {"public_cache_mib", public_cache_mib, 0},
      });
      !checked.ok()) {
    return checked;
  }
  ServingOptions options;
  options.db_pool_size = db_pool_size;
  options.max_receive_message_bytes = max_receive_message_bytes;
  options.max_call_timeout = absl::Milliseconds(max_call_timeout_ms);
  options.shutdown_grace = absl::Milliseconds(shutdown_grace_ms);
  options.max_watches_per_moderator = max_watches_per_moderator;
  options.flood_prune_interval = absl::Milliseconds(flood_prune_interval_ms);
  options.queue_metrics_interval =
      absl::Milliseconds(queue_metrics_interval_ms);
  options.public_cache_mib = public_cache_mib;
  return options;
}

absl::Status ApplyServingEnvironment() {
  return config::ApplyEnvironmentToFlags("COMMENTS_", __FILE__);
}

}  // namespace comments::startup
