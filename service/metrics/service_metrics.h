// Every metric the server exports but the process metrics, in one registry:
// the observers main.cc hands to the interceptor, the use cases, the pool,
// the batcher, the watch hub and the public read cache. Made only when
// --metrics_listen is set; without it nothing is counted.
#ifndef COMMENTS_SERVICE_METRICS_SERVICE_METRICS_H_
#define COMMENTS_SERVICE_METRICS_SERVICE_METRICS_H_

#include <memory>

#include "prometheus/registry.h"
#include "service/metrics/grpc_server_metrics.h"
#include "service/metrics/public_cache_metrics.h"
#include "service/metrics/queue_metrics.h"
#include "service/metrics/storage_metrics.h"
#include "service/metrics/submission_metrics.h"

namespace comments::metrics {

struct ServiceMetricsOptions {
  int pool_size = 8;
  int max_batch = 64;
};

class ServiceMetrics {
 public:
  explicit ServiceMetrics(ServiceMetricsOptions options);

  ServiceMetrics(const ServiceMetrics&) = delete;
  ServiceMetrics& operator=(const ServiceMetrics&) = delete;

  const std::shared_ptr<prometheus::Registry>& registry() const {
    return registry_;
  }
  GrpcServerMetrics* grpc() { return &grpc_; }
  SubmissionMetrics* submissions() { return &submissions_; }
  ModerationMetrics* moderation() { return &moderation_; }
  PoolMetrics* pool() { return &pool_; }
  BatchMetrics* batches() { return &batches_; }
  WatchMetrics* watches() { return &watches_; }
  PublicCacheMetrics* public_cache() { return &public_cache_; }

 private:
  // First: the families below are registered in it.
  const std::shared_ptr<prometheus::Registry> registry_;
  GrpcServerMetrics grpc_;
  SubmissionMetrics submissions_;
  ModerationMetrics moderation_;
  PoolMetrics pool_;
  BatchMetrics batches_;
  WatchMetrics watches_;
  PublicCacheMetrics public_cache_;
};

}  // namespace comments::metrics

#endif  // COMMENTS_SERVICE_METRICS_SERVICE_METRICS_H_
