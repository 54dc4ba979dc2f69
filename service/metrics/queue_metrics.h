// The moderation queue's metrics:
//   comments_watch_streams_open                  WatchQueue streams open here
//   comments_moderation_queue_pending            comments waiting, all replicas
//   comments_moderation_queue_oldest_pending_age_seconds
//   comments_moderation_queue_read_errors_total  failed reads of the two above
// The open streams are this replica's, from the watch hub. The queue's two
// figures are read from the database by a background task, at most once per
// interval whatever the scrape rate, so every replica reports the same
// numbers; after a failed read they keep their last values and the error
// counter says they are stale.
#ifndef COMMENTS_SERVICE_METRICS_QUEUE_METRICS_H_
#define COMMENTS_SERVICE_METRICS_QUEUE_METRICS_H_

#include <cstddef>

#include "absl/time/time.h"
#include "prometheus/counter.h"
#include "prometheus/gauge.h"
#include "prometheus/registry.h"
#include "service/api/queue_watch_hub.h"
#include "service/common/periodic_task.h"
#include "service/storage/queue_summary.h"

namespace comments::metrics {

class WatchMetrics final : public api::WatchObserver {
 public:
  // `registry` must outlive this.
  explicit WatchMetrics(prometheus::Registry& registry);

  void OnOpenWatches(size_t open) override;

 private:
  prometheus::Gauge& open_;
};

struct QueueMetricsOptions {
  // Time between two reads; the first runs when the task starts.
  absl::Duration every = absl::Seconds(5);
  // Bound on one read; also how long Stop may wait for a read under way.
  absl::Duration timeout = absl::Seconds(2);
};

class QueueMetrics {
 public:
  // `registry` and `reader` are not owned and must outlive this.
  QueueMetrics(prometheus::Registry& registry,
               storage::QueueSummaryReader* reader,
               QueueMetricsOptions options);
  ~QueueMetrics();  // Stops.

  // Reads at once, then every options.every until Stop.
  void Start();
  // Returns once a read under way has finished. Idempotent.
  void Stop();
  // One read now, into the gauges; false (and the error counted) when it
  // failed.
  bool ReadOnce();

 private:
  storage::QueueSummaryReader* reader_;
  const QueueMetricsOptions options_;
  prometheus::Gauge& pending_;
  prometheus::Gauge& oldest_age_;
  prometheus::Counter& read_errors_;
  PeriodicTask task_;
};

}  // namespace comments::metrics

#endif  // COMMENTS_SERVICE_METRICS_QUEUE_METRICS_H_
