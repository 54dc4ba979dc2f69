#include "service/metrics/storage_metrics.h"

namespace comments::metrics {
namespace {

// From a free connection (well under a millisecond) to a caller's whole
// deadline spent waiting.
prometheus::Histogram::BucketBoundaries WaitBuckets() {
  return {0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10};
}

// Powers of two up to the largest batch.
prometheus::Histogram::BucketBoundaries BatchBuckets(int max_batch) {
  prometheus::Histogram::BucketBoundaries buckets;
  for (int size = 1; size < max_batch; size *= 2) buckets.push_back(size);
  buckets.push_back(max_batch);
  return buckets;
}

}  // namespace

PoolMetrics::PoolMetrics(prometheus::Registry& registry, int pool_size)
    : open_(prometheus::BuildGauge()
                .Name("comments_db_pool_open_connections")
                .Help("Database connections open, idle or in use.")
                .Register(registry)
                .Add({})),
      in_use_(prometheus::BuildGauge()
                  .Name("comments_db_pool_in_use_connections")
                  .Help("Database connections handed out to a call.")
                  .Register(registry)
                  .Add({})),
      wait_seconds_(prometheus::BuildHistogram()
                        .Name("comments_db_pool_wait_seconds")
                        .Help("Time a call waited for a database "
                              "connection, in seconds.")
                        .Register(registry)
                        .Add({}, WaitBuckets())) {
  prometheus::BuildGauge()
      .Name("comments_db_pool_size")
      .Help("Database connections the pool may open (--db_pool_size).")
      .Register(registry)
      .Add({})
      .Set(pool_size);
}

void PoolMetrics::OnConnectionCounts(int open, int in_use) {
  open_.Set(open);
  in_use_.Set(in_use);
}

void PoolMetrics::OnWaited(absl::Duration waited) {
  wait_seconds_.Observe(absl::ToDoubleSeconds(waited));
}

BatchMetrics::BatchMetrics(prometheus::Registry& registry, int max_batch)
    : batch_size_(prometheus::BuildHistogram()
                      .Name("comments_insert_batch_size")
                      .Help("Comments written per group commit.")
                      .Register(registry)
                      .Add({}, BatchBuckets(max_batch))) {}

void BatchMetrics::OnBatchWritten(int size) { batch_size_.Observe(size); }

}  // namespace comments::metrics
