#include "service/metrics/queue_metrics.h"

#include <utility>

#include "absl/status/status.h"
#include "absl/time/clock.h"
#include "service/common/json_log.h"

namespace comments::metrics {

WatchMetrics::WatchMetrics(prometheus::Registry& registry)
    : open_(prometheus::BuildGauge()
                .Name("comments_watch_streams_open")
                .Help("WatchQueue streams open on this server.")
                .Register(registry)
                .Add({})) {}

void WatchMetrics::OnOpenWatches(size_t open) {
  open_.Set(static_cast<double>(open));
}

QueueMetrics::QueueMetrics(prometheus::Registry& registry,
                           storage::QueueSummaryReader* reader,
                           QueueMetricsOptions options)
    : reader_(reader),
      options_(std::move(options)),
      pending_(prometheus::BuildGauge()
                   .Name("comments_moderation_queue_pending")
                   .Help("Comments waiting for a moderator (PENDING), read "
                         "from the database.")
                   .Register(registry)
                   .Add({})),
      oldest_age_(prometheus::BuildGauge()
                      .Name("comments_moderation_queue_oldest_pending_age_"
                            "seconds")
                      .Help("How long the oldest PENDING comment has waited, "
                            "in seconds by the database's clock; 0 when none "
                            "waits.")
                      .Register(registry)
                      .Add({})),
      read_errors_(prometheus::BuildCounter()
                       .Name("comments_moderation_queue_read_errors_total")
                       .Help("Failed reads of the moderation queue's "
                             "figures; they keep their last values.")
                       .Register(registry)
                       .Add({})),
      task_(options_.every, [this] { ReadOnce(); }) {}

QueueMetrics::~QueueMetrics() { Stop(); }

void QueueMetrics::Start() { task_.Start(); }

void QueueMetrics::Stop() { task_.Stop(); }

bool QueueMetrics::ReadOnce() {
  absl::StatusOr<storage::QueueSummary> summary =
      reader_->ReadQueueSummary(absl::Now() + options_.timeout);
  if (!summary.ok()) {
    read_errors_.Increment();
    // By its code only: a database message may quote data.
    log::Warning("cannot read the moderation queue's metrics",
                 {{"code", absl::StatusCodeToString(summary.status().code())}});
    return false;
  }
  pending_.Set(static_cast<double>(summary->pending));
  oldest_age_.Set(absl::ToDoubleSeconds(summary->oldest_pending_age));
  return true;
}

}  // namespace comments::metrics
