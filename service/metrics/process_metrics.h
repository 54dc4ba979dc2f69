// The standard process metrics of Prometheus' client libraries, which
// prometheus-cpp 1.0.1 does not provide, read from /proc at each scrape:
//   process_cpu_seconds_total       user and system CPU time
//   process_resident_memory_bytes   resident set size
//   process_virtual_memory_bytes    virtual memory size
//   process_open_fds                open file descriptors
//   process_max_fds                 their limit (RLIMIT_NOFILE)
//   process_start_time_seconds      start time, seconds since the epoch
#ifndef COMMENTS_SERVICE_METRICS_PROCESS_METRICS_H_
#define COMMENTS_SERVICE_METRICS_PROCESS_METRICS_H_

#include <cstdint>
#include <optional>
#include <vector>

#include "absl/strings/string_view.h"
#include "prometheus/collectable.h"
#include "prometheus/metric_family.h"

namespace comments::metrics {

// The fields of /proc/<pid>/stat the metrics use, in the kernel's units.
struct ProcStat {
  uint64_t utime_ticks = 0;
  uint64_t stime_ticks = 0;
  uint64_t start_ticks = 0;  // after boot
  uint64_t vsize_bytes = 0;
  uint64_t rss_pages = 0;
};

// Parses one /proc/<pid>/stat line; nullopt when it is not one. The command
// name (field 2) may hold spaces and parentheses: fields are counted from
// its last ')'.
std::optional<ProcStat> ParseProcStat(absl::string_view line);

// The "btime" of /proc/stat: boot time, seconds since the epoch.
std::optional<uint64_t> ParseBootTime(absl::string_view proc_stat);

class ProcessMetrics final : public prometheus::Collectable {
 public:
  // Families whose source cannot be read are left out of the scrape.
  std::vector<prometheus::MetricFamily> Collect() const override;
};

}  // namespace comments::metrics

#endif  // COMMENTS_SERVICE_METRICS_PROCESS_METRICS_H_
