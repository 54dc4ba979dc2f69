#include "service/metrics/public_cache_metrics.h"

namespace comments::metrics {
namespace {

prometheus::Family<prometheus::Counter>& Lookups(
    prometheus::Registry& registry) {
  return prometheus::BuildCounter()
      .Name("comments_public_cache_lookups_total")
      .Help(
          "Public pages (kind=page) and thread counts (kind=count) looked "
          "up in the cache, by result.")
      .Register(registry);
}

prometheus::Family<prometheus::Counter>& Drops(prometheus::Registry& registry) {
  return prometheus::BuildCounter()
      .Name("comments_public_cache_drops_total")
      .Help(
          "Times cached entries were dropped: a thread's change "
          "notification (cause=change), or everything when notifications "
          "stopped or resumed (cause=listening).")
      .Register(registry);
}

prometheus::Gauge& Gauge(prometheus::Registry& registry, const char* name,
                         const char* help) {
  return prometheus::BuildGauge().Name(name).Help(help).Register(registry).Add(
      {});
}

}  // namespace

PublicCacheMetrics::PublicCacheMetrics(prometheus::Registry& registry)
    : lookups_(Lookups(registry)),
      drops_(Drops(registry)),
      page_hits_(lookups_.Add({{"kind", "page"}, {"result", "hit"}})),
      page_misses_(lookups_.Add({{"kind", "page"}, {"result", "miss"}})),
      count_hits_(lookups_.Add({{"kind", "count"}, {"result", "hit"}})),
      count_misses_(lookups_.Add({{"kind", "count"}, {"result", "miss"}})),
      dropped_by_change_(drops_.Add({{"cause", "change"}})),
      dropped_by_listening_(drops_.Add({{"cause", "listening"}})),
      entries_(Gauge(registry, "comments_public_cache_entries",
                     "Public pages and thread counts in the cache.")),
      bytes_(Gauge(registry, "comments_public_cache_bytes",
                   "Estimated memory of the cached pages and counts, in "
                   "bytes (bounded by --public_cache_mib).")) {}

void PublicCacheMetrics::OnLookups(Kind kind, int hits, int misses) {
  if (kind == Kind::kPage) {
    if (hits > 0) page_hits_.Increment(hits);
    if (misses > 0) page_misses_.Increment(misses);
  } else {
    if (hits > 0) count_hits_.Increment(hits);
    if (misses > 0) count_misses_.Increment(misses);
  }
}

void PublicCacheMetrics::OnDropped(Drop cause) {
  (cause == Drop::kChange ? dropped_by_change_ : dropped_by_listening_)
      .Increment();
}

void PublicCacheMetrics::OnSize(int64_t entries, int64_t bytes) {
  entries_.Set(static_cast<double>(entries));
  bytes_.Set(static_cast<double>(bytes));
}

}  // namespace comments::metrics
