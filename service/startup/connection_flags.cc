#include "service/startup/connection_flags.h"

#include <climits>
#include <string>

#include "absl/flags/flag.h"
#include "grpc/impl/codegen/grpc_types.h"
#include "grpcpp/resource_quota.h"
#include "service/config/environment_flags.h"
#include "service/startup/flag_checks.h"

namespace {
const comments::startup::ConnectionOptions kDefaults;
}  // namespace

ABSL_FLAG(int, keepalive_time_ms, kDefaults.keepalive_time_ms,
          "ping an idle client connection this often "
          "(env COMMENTS_KEEPALIVE_TIME_MS)");
ABSL_FLAG(int, keepalive_timeout_ms, kDefaults.keepalive_timeout_ms,
          "close a connection whose keepalive ping is not answered in this "
          "time (env COMMENTS_KEEPALIVE_TIMEOUT_MS)");
ABSL_FLAG(bool, keepalive_permit_without_calls,
          kDefaults.keepalive_permit_without_calls,
          "let clients send keepalive pings while they have no call open "
          "(env COMMENTS_KEEPALIVE_PERMIT_WITHOUT_CALLS)");
ABSL_FLAG(int, min_ping_interval_ms, kDefaults.min_ping_interval_ms,
          "shortest interval between client pings without data; a client "
          "pinging more often is disconnected "
          "(env COMMENTS_MIN_PING_INTERVAL_MS)");
ABSL_FLAG(int, max_connection_idle_ms, kDefaults.max_connection_idle_ms,
          "close a connection without calls after this long; 0 never "
          "(env COMMENTS_MAX_CONNECTION_IDLE_MS)");
ABSL_FLAG(int, max_connection_age_ms, kDefaults.max_connection_age_ms,
          "ask a client to reconnect after this long, so connections spread "
          "over new replicas; 0 never (env COMMENTS_MAX_CONNECTION_AGE_MS)");
ABSL_FLAG(int, max_connection_age_grace_ms,
          kDefaults.max_connection_age_grace_ms,
          "how long calls open when a connection reaches its age may finish "
          "(env COMMENTS_MAX_CONNECTION_AGE_GRACE_MS)");
ABSL_FLAG(int, max_concurrent_streams, kDefaults.max_concurrent_streams,
          "calls one connection may have open at once; 0 no limit "
          "(env COMMENTS_MAX_CONCURRENT_STREAMS)");
ABSL_FLAG(int, max_threads, kDefaults.max_threads,
          "threads serving calls; a call finding none free is refused with "
          "RESOURCE_EXHAUSTED (env COMMENTS_MAX_THREADS)");
ABSL_FLAG(int64_t, memory_quota_bytes, kDefaults.memory_quota_bytes,
          "memory gRPC may use for connections and messages; 0 no limit "
          "(env COMMENTS_MEMORY_QUOTA_BYTES)");

namespace comments::startup {
namespace {

// 0 means "never" for the operator; gRPC spells it INT_MAX.
int NeverIfZero(int ms) { return ms == 0 ? INT_MAX : ms; }

}  // namespace

absl::StatusOr<ConnectionOptions> ConnectionOptionsFromFlags() {
  ConnectionOptions options;
  options.keepalive_time_ms = absl::GetFlag(FLAGS_keepalive_time_ms);
  options.keepalive_timeout_ms = absl::GetFlag(FLAGS_keepalive_timeout_ms);
  options.keepalive_permit_without_calls =
      absl::GetFlag(FLAGS_keepalive_permit_without_calls);
  options.min_ping_interval_ms = absl::GetFlag(FLAGS_min_ping_interval_ms);
  options.max_connection_idle_ms = absl::GetFlag(FLAGS_max_connection_idle_ms);
  options.max_connection_age_ms = absl::GetFlag(FLAGS_max_connection_age_ms);
  options.max_connection_age_grace_ms =
      absl::GetFlag(FLAGS_max_connection_age_grace_ms);
  options.max_concurrent_streams = absl::GetFlag(FLAGS_max_concurrent_streams);
  options.max_threads = absl::GetFlag(FLAGS_max_threads);
  options.memory_quota_bytes = absl::GetFlag(FLAGS_memory_quota_bytes);
  if (absl::Status checked = CheckMinimums(
          {{"keepalive_time_ms", options.keepalive_time_ms, 1},
           {"keepalive_timeout_ms", options.keepalive_timeout_ms, 1},
           {"min_ping_interval_ms", options.min_ping_interval_ms, 0},
           {"max_connection_idle_ms", options.max_connection_idle_ms, 0},
           {"max_connection_age_ms", options.max_connection_age_ms, 0},
           {"max_connection_age_grace_ms", options.max_connection_age_grace_ms,
            0},
           {"max_concurrent_streams", options.max_concurrent_streams, 0},
           {"max_threads", options.max_threads, 1},
           {"memory_quota_bytes", options.memory_quota_bytes, 0}});
      !checked.ok()) {
    return checked;
  }
  return options;
}

absl::Status ApplyConnectionEnvironment() {
  return config::ApplyEnvironmentToFlags("COMMENTS_", __FILE__);
}

void ApplyConnectionOptions(const ConnectionOptions& options,
                            grpc::ServerBuilder* builder) {
  builder->AddChannelArgument(GRPC_ARG_KEEPALIVE_TIME_MS,
                              options.keepalive_time_ms);
  builder->AddChannelArgument(GRPC_ARG_KEEPALIVE_TIMEOUT_MS,
                              options.keepalive_timeout_ms);
  builder->AddChannelArgument(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS,
                              options.keepalive_permit_without_calls ? 1 : 0);
  builder->AddChannelArgument(
      GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS,
      options.min_ping_interval_ms);
  builder->AddChannelArgument(GRPC_ARG_MAX_CONNECTION_IDLE_MS,
                              NeverIfZero(options.max_connection_idle_ms));
  builder->AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_MS,
                              NeverIfZero(options.max_connection_age_ms));
  builder->AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_GRACE_MS,
                              options.max_connection_age_grace_ms);
  if (options.max_concurrent_streams > 0) {
    builder->AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS,
                                options.max_concurrent_streams);
  }
  grpc::ResourceQuota quota("comments_server");
  quota.SetMaxThreads(options.max_threads);
  if (options.memory_quota_bytes > 0) {
    quota.Resize(static_cast<size_t>(options.memory_quota_bytes));
  }
  builder->SetResourceQuota(quota);
}

}  // namespace comments::startup
