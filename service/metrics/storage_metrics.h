// The database side's metrics, as observers of the pool and the insert
// batcher (storage/connection_pool.h, storage/insert_batcher.h):
//   comments_db_pool_size                 connections the pool may open
//   comments_db_pool_open_connections     open, idle or in use
//   comments_db_pool_in_use_connections   handed out to a call
//   comments_db_pool_wait_seconds         time waited for a connection
//   comments_insert_batch_size            comments per group commit
#ifndef COMMENTS_SERVICE_METRICS_STORAGE_METRICS_H_
#define COMMENTS_SERVICE_METRICS_STORAGE_METRICS_H_

#include "prometheus/gauge.h"
#include "prometheus/histogram.h"
#include "prometheus/registry.h"
#include "service/storage/connection_pool.h"
#include "service/storage/insert_batcher.h"

namespace comments::metrics {

class PoolMetrics final : public storage::PoolObserver {
 public:
  // `registry` must outlive this; `pool_size` is the pool's bound.
  PoolMetrics(prometheus::Registry& registry, int pool_size);

  void OnConnectionCounts(int open, int in_use) override;
  void OnWaited(absl::Duration waited) override;

 private:
  prometheus::Gauge& open_;
  prometheus::Gauge& in_use_;
  prometheus::Histogram& wait_seconds_;
};

class BatchMetrics final : public storage::BatchObserver {
 public:
  // `registry` must outlive this; `max_batch` bounds the buckets.
  BatchMetrics(prometheus::Registry& registry, int max_batch);

  void OnBatchWritten(int size) override;

 private:
  prometheus::Histogram& batch_size_;
};

}  // namespace comments::metrics

#endif  // COMMENTS_SERVICE_METRICS_STORAGE_METRICS_H_
