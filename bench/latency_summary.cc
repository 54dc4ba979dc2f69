#include "bench/latency_summary.h"

#include <algorithm>
#include <cmath>

namespace comments::bench {
namespace {

double ToMs(int64_t ns) { return static_cast<double>(ns) / 1e6; }

// Three decimals are microseconds: finer digits are noise.
double Round3(double value) { return std::round(value * 1000.0) / 1000.0; }

}  // namespace

int64_t Percentile(const std::vector<int64_t>& sorted, double p) {
  if (sorted.empty()) return 0;
  const double rank = std::ceil(p / 100.0 * static_cast<double>(sorted.size()));
  const size_t index = static_cast<size_t>(std::max(rank, 1.0)) - 1;
  return sorted[std::min(index, sorted.size() - 1)];
}

Summary Summarize(const std::vector<CallerRecord>& callers,
                  absl::Duration window) {
  Summary summary;
  std::vector<int64_t> latencies;
  size_t total = 0;
  for (const CallerRecord& caller : callers)
    total += caller.latencies_ns.size();
  latencies.reserve(total);
  for (const CallerRecord& caller : callers) {
    latencies.insert(latencies.end(), caller.latencies_ns.begin(),
                     caller.latencies_ns.end());
    summary.ok += caller.ok;
    summary.acknowledged += caller.acknowledged;
    summary.unmeasured_errors += caller.unmeasured_errors;
    for (const auto& [label, count] : caller.errors) {
      summary.errors[label] += count;
    }
  }
  std::sort(latencies.begin(), latencies.end());
  summary.calls = static_cast<int64_t>(latencies.size());
  summary.rps = static_cast<double>(summary.ok) / absl::ToDoubleSeconds(window);
  summary.p50_ms = ToMs(Percentile(latencies, 50));
  summary.p99_ms = ToMs(Percentile(latencies, 99));
  summary.max_ms = latencies.empty() ? 0 : ToMs(latencies.back());
  return summary;
}

nlohmann::json SummaryJson(const std::string& mode, int concurrency,
                           int channels, absl::Duration window,
                           const Summary& summary) {
  nlohmann::json errors = nlohmann::json::object();
  for (const auto& [label, count] : summary.errors) errors[label] = count;
  return {{"mode", mode},
          {"concurrency", concurrency},
          {"channels", channels},
          {"window_s", Round3(absl::ToDoubleSeconds(window))},
          {"calls", summary.calls},
          {"ok", summary.ok},
          {"errors", errors},
          {"rps", Round3(summary.rps)},
          {"p50_ms", Round3(summary.p50_ms)},
          {"p99_ms", Round3(summary.p99_ms)},
          {"max_ms", Round3(summary.max_ms)},
          {"acknowledged", summary.acknowledged},
          {"unmeasured_errors", summary.unmeasured_errors}};
}

}  // namespace comments::bench
