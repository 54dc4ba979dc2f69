// Turns what the callers of a load run recorded into the figures the
// benchmark reports: calls, errors by code, throughput and latency
// percentiles. Pure arithmetic, no I/O.
#ifndef COMMENTS_BENCH_LATENCY_SUMMARY_H_
#define COMMENTS_BENCH_LATENCY_SUMMARY_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "nlohmann/json.hpp"

namespace comments::bench {

// What one caller saw during the measured window. Each caller thread owns
// one, so recording needs no lock; they are merged once the run is over.
struct CallerRecord {
  // Every call that completed inside the window, failed ones included: a
  // caller waited for a failure as much as for a success.
  std::vector<int64_t> latencies_ns;
  int64_t ok = 0;
  // Failed calls by label (a gRPC code name such as "DEADLINE_EXCEEDED").
  std::map<std::string, int64_t> errors;
  // Successful calls of the whole run, warm-up and the calls finishing after
  // the window included: what the server acknowledged, to compare with what
  // it stored.
  int64_t acknowledged = 0;
  // Failed calls outside the window: not in the figures, still failures.
  int64_t unmeasured_errors = 0;
};

struct Summary {
  int64_t calls = 0;
  int64_t ok = 0;
  std::map<std::string, int64_t> errors;
  int64_t acknowledged = 0;
  int64_t unmeasured_errors = 0;
  // Successful calls per second of the window.
  double rps = 0;
  double p50_ms = 0;
  double p99_ms = 0;
  double max_ms = 0;
};

// Nearest-rank percentile (0 < p <= 100) of ascending `sorted`; 0 when empty.
int64_t Percentile(const std::vector<int64_t>& sorted, double p);

// Merges the callers' records; `window` is the measured time (warm-up
// excluded) and must be positive.
Summary Summarize(const std::vector<CallerRecord>& callers,
                  absl::Duration window);

// The one-line report: {"mode":...,"concurrency":...,"calls":...,
// "errors":{...},"rps":...,"p50_ms":...,"p99_ms":...,"max_ms":...,
// "acknowledged":...,"unmeasured_errors":...} plus the run's shape (channels,
// window).
nlohmann::json SummaryJson(const std::string& mode, int concurrency,
                           int channels, absl::Duration window,
                           const Summary& summary);

}  // namespace comments::bench

#endif  // COMMENTS_BENCH_LATENCY_SUMMARY_H_
