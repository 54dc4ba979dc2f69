#include "service/metrics/service_metrics.h"

namespace comments::metrics {

ServiceMetrics::ServiceMetrics(ServiceMetricsOptions options)
    : registry_(std::make_shared<prometheus::Registry>()),
      grpc_(*registry_),
      submissions_(*registry_),
      moderation_(*registry_),
      pool_(*registry_, options.pool_size),
      batches_(*registry_, options.max_batch),
      watches_(*registry_),
      public_cache_(*registry_) {}

}  // namespace comments::metrics
