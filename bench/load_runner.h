// Runs concurrent callers against a server for a fixed time and records the
// latency and outcome of every call that completes in the measured window.
#ifndef COMMENTS_BENCH_LOAD_RUNNER_H_
#define COMMENTS_BENCH_LOAD_RUNNER_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "bench/latency_summary.h"

namespace comments::bench {

struct LoadOptions {
  int concurrency = 32;
  // Calls completing in the warm-up (connections, caches, the server's
  // thread pool growing) are not recorded.
  absl::Duration warmup = absl::Seconds(2);
  // The measured window, after the warm-up.
  absl::Duration duration = absl::Seconds(10);
  // The deadline every call carries. The run waits at most this long, plus
  // `straggler_margin`, past the window for calls still in flight; gRPC ends
  // a call at its deadline, so only a wedged caller takes longer.
  absl::Duration call_timeout = absl::Seconds(5);
  absl::Duration straggler_margin = absl::Seconds(5);
  // Called on the thread of RunLoad as the window opens and as it closes
  // (e.g. to read the process's CPU time); optional. They run while the
  // callers are calling, so they must be quick.
  std::function<void()> on_window_start;
  std::function<void()> on_window_end;
};

// One call, made on a caller's own thread. Returns "" on success, else a
// label for the failure (a gRPC code name, or a check of the answer).
using Call = std::function<std::string()>;
// Makes the Call of caller `index` (0 <= index < concurrency). Runs on the
// calling thread before any caller starts, so that setup is not measured.
using CallerFactory = std::function<Call(int index)>;

// Starts every caller at once; each makes calls back to back until the
// warm-up and the window are over, then finishes its call in flight. The
// window is [start + warmup, start + warmup + duration], and a call belongs to
// it when it completes inside it, so throughput is completions per second.
// Returns one record per caller. DEADLINE_EXCEEDED when a caller is still in
// a call well past its deadline: its thread is then left running, and the
// process must exit without returning from main.
absl::StatusOr<std::vector<CallerRecord>> RunLoad(
    const LoadOptions& options, const CallerFactory& make_call);

}  // namespace comments::bench

#endif  // COMMENTS_BENCH_LOAD_RUNNER_H_
