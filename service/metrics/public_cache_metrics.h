// The public read cache's metrics (storage/public_read_cache.h):
//   comments_public_cache_lookups_total{kind,result}  kind page|count,
//                                                      result hit|miss
//   comments_public_cache_drops_total{cause}           change: a thread's
//       notification; listening: notifications stopped or resumed, so
//       everything went
//   comments_public_cache_entries                      pages and counts held
//   comments_public_cache_bytes                        their estimated size
#ifndef COMMENTS_SERVICE_METRICS_PUBLIC_CACHE_METRICS_H_
#define COMMENTS_SERVICE_METRICS_PUBLIC_CACHE_METRICS_H_

#include "prometheus/counter.h"
#include "prometheus/gauge.h"
#include "prometheus/registry.h"
#include "service/storage/public_read_cache.h"

namespace comments::metrics {

class PublicCacheMetrics final : public storage::PublicCacheObserver {
 public:
  // `registry` must outlive this.
  explicit PublicCacheMetrics(prometheus::Registry& registry);

  void OnLookups(Kind kind, int hits, int misses) override;
  void OnDropped(Drop cause) override;
  void OnSize(int64_t entries, int64_t bytes) override;

 private:
  // Before the counters that are added to them.
  prometheus::Family<prometheus::Counter>& lookups_;
  prometheus::Family<prometheus::Counter>& drops_;
  prometheus::Counter& page_hits_;
  prometheus::Counter& page_misses_;
  prometheus::Counter& count_hits_;
  prometheus::Counter& count_misses_;
  prometheus::Counter& dropped_by_change_;
  prometheus::Counter& dropped_by_listening_;
  prometheus::Gauge& entries_;
  prometheus::Gauge& bytes_;
};

}  // namespace comments::metrics

#endif  // COMMENTS_SERVICE_METRICS_PUBLIC_CACHE_METRICS_H_
