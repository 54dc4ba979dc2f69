#include "service/metrics/process_metrics.h"

#include <sys/resource.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <system_error>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"

namespace comments::metrics {
namespace {

std::optional<std::string> ReadWhole(const char* path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

prometheus::MetricFamily Family(const char* name, const char* help,
                                prometheus::MetricType type, double value) {
  prometheus::MetricFamily family;
  family.name = name;
  family.help = help;
  family.type = type;
  prometheus::ClientMetric metric;
  if (type == prometheus::MetricType::Counter) {
    metric.counter.value = value;
  } else {
    metric.gauge.value = value;
  }
  family.metric.push_back(metric);
  return family;
}

std::optional<double> OpenFds() {
  std::error_code error;
  std::filesystem::directory_iterator fds("/proc/self/fd", error);
  if (error) return std::nullopt;
  double count = 0;
  for (const auto& entry : fds) {
    (void)entry;
    ++count;
  }
  return count;
}

}  // namespace

std::optional<ProcStat> ParseProcStat(absl::string_view line) {
  const size_t close = line.rfind(')');
  if (close == absl::string_view::npos) return std::nullopt;
  // Field 3 (the state) onwards.
  const std::vector<absl::string_view> fields =
      absl::StrSplit(absl::StripAsciiWhitespace(line.substr(close + 1)), ' ',
                     absl::SkipEmpty());
  // Field N is fields[N - 3]; rss is field 24.
  if (fields.size() < 22) return std::nullopt;
  ProcStat stat;
  if (!absl::SimpleAtoi(fields[11], &stat.utime_ticks) ||
      !absl::SimpleAtoi(fields[12], &stat.stime_ticks) ||
      !absl::SimpleAtoi(fields[19], &stat.start_ticks) ||
      !absl::SimpleAtoi(fields[20], &stat.vsize_bytes) ||
      !absl::SimpleAtoi(fields[21], &stat.rss_pages)) {
    return std::nullopt;
  }
  return stat;
}

std::optional<uint64_t> ParseBootTime(absl::string_view proc_stat) {
  for (absl::string_view line : absl::StrSplit(proc_stat, '\n')) {
    if (absl::ConsumePrefix(&line, "btime ")) {
      uint64_t seconds = 0;
      if (absl::SimpleAtoi(line, &seconds)) return seconds;
      return std::nullopt;
    }
  }
  return std::nullopt;
}

std::vector<prometheus::MetricFamily> ProcessMetrics::Collect() const {
  using prometheus::MetricType;
  std::vector<prometheus::MetricFamily> families;
  const std::optional<std::string> self_stat = ReadWhole("/proc/self/stat");
  const std::optional<ProcStat> stat =
      self_stat ? ParseProcStat(*self_stat) : std::nullopt;
  const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
  if (stat.has_value() && ticks > 0) {
    families.push_back(Family(
        "process_cpu_seconds_total",
        "Total user and system CPU time spent "
        "in seconds.",
        MetricType::Counter,
        static_cast<double>(stat->utime_ticks + stat->stime_ticks) / ticks));
    families.push_back(Family("process_resident_memory_bytes",
                              "Resident memory size in bytes.",
                              MetricType::Gauge,
                              static_cast<double>(stat->rss_pages) *
                                  static_cast<double>(sysconf(_SC_PAGESIZE))));
    families.push_back(
        Family("process_virtual_memory_bytes", "Virtual memory size in bytes.",
               MetricType::Gauge, static_cast<double>(stat->vsize_bytes)));
    const std::optional<std::string> system_stat = ReadWhole("/proc/stat");
    if (const std::optional<uint64_t> boot =
            system_stat ? ParseBootTime(*system_stat) : std::nullopt) {
      families.push_back(
          Family("process_start_time_seconds",
                 "Start time of the process since unix epoch in seconds.",
                 MetricType::Gauge,
                 static_cast<double>(*boot) +
                     static_cast<double>(stat->start_ticks) / ticks));
    }
  }
  if (const std::optional<double> open = OpenFds()) {
    families.push_back(Family("process_open_fds",
                              "Number of open file descriptors.",
                              MetricType::Gauge, *open));
  }
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 &&
      limit.rlim_cur != RLIM_INFINITY) {
    families.push_back(
        Family("process_max_fds", "Maximum number of open file descriptors.",
               MetricType::Gauge, static_cast<double>(limit.rlim_cur)));
  }
  return families;
}

}  // namespace comments::metrics
