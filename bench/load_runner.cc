#include "bench/load_runner.h"

#include <chrono>
#include <memory>
#include <thread>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"

namespace comments::bench {
namespace {

using Clock = std::chrono::steady_clock;

// Owned jointly by the run and its caller threads, so that a caller left
// running after a give-up never touches freed memory.
struct Run {
  explicit Run(int callers) : records(callers) {}

  absl::Notification go;
  // Written before `go` is notified, read only after it.
  Clock::time_point window_start;
  Clock::time_point window_end;
  // Element i is written by caller i alone and read by the run only after
  // that caller has counted itself in `finished`.
  std::vector<CallerRecord> records;
  absl::Mutex mu;
  int finished ABSL_GUARDED_BY(mu) = 0;
};

void CallerLoop(Run& run, int index, const Call& call) {
  run.go.WaitForNotification();
  CallerRecord& record = run.records[index];
  // Spares the first reallocations while measuring.
  record.latencies_ns.reserve(1 << 14);
  while (Clock::now() < run.window_end) {
    const Clock::time_point begin = Clock::now();
    const std::string error = call();
    const Clock::time_point end = Clock::now();
    if (error.empty()) ++record.acknowledged;
    if (end < run.window_start || end > run.window_end) {
      if (!error.empty()) ++record.unmeasured_errors;
      continue;
    }
    record.latencies_ns.push_back(
        std::chrono::duration_cast<std::chrono::nanoseconds>(end - begin)
            .count());
    if (error.empty()) {
      ++record.ok;
    } else {
      ++record.errors[error];
    }
  }
  absl::MutexLock lock(&run.mu);
  ++run.finished;
}

bool AllFinished(Run* run) ABSL_EXCLUSIVE_LOCKS_REQUIRED(run->mu) {
  return run->finished == static_cast<int>(run->records.size());
}

}  // namespace

absl::StatusOr<std::vector<CallerRecord>> RunLoad(
    const LoadOptions& options, const CallerFactory& make_call) {
  const int callers = options.concurrency;
  auto run = std::make_shared<Run>(callers);
  std::vector<std::thread> threads;
  threads.reserve(callers);
  for (int i = 0; i < callers; ++i) {
    threads.emplace_back(
        [run, i, call = make_call(i)] { CallerLoop(*run, i, call); });
  }

  const Clock::time_point start = Clock::now();
  const absl::Time start_time = absl::Now();
  run->window_start = start + absl::ToChronoNanoseconds(options.warmup);
  run->window_end =
      run->window_start + absl::ToChronoNanoseconds(options.duration);
  run->go.Notify();

  const absl::Time window_start_time = start_time + options.warmup;
  const absl::Time window_end_time = window_start_time + options.duration;
  const absl::Time give_up =
      window_end_time + options.call_timeout + options.straggler_margin;
  // Waiting for the callers to finish, with the window's edges as
  // deadlines: callers never finish before the window closes, so these
  // waits end on time.
  auto await_finished_until = [&run](absl::Time deadline) {
    absl::MutexLock lock(&run->mu);
    return run->mu.AwaitWithDeadline(absl::Condition(&AllFinished, run.get()),
                                     deadline);
  };
  await_finished_until(window_start_time);
  if (options.on_window_start) options.on_window_start();
  await_finished_until(window_end_time);
  if (options.on_window_end) options.on_window_end();
  const bool all_finished = await_finished_until(give_up);
  int finished = 0;
  {
    absl::MutexLock lock(&run->mu);
    finished = run->finished;
  }

  if (!all_finished) {
    for (std::thread& thread : threads) thread.detach();
    return absl::DeadlineExceededError(
        absl::StrCat(callers - finished, " of ", callers,
                     " callers were still in a call past their deadline"));
  }
  for (std::thread& thread : threads) thread.join();
  return std::move(run->records);
}

}  // namespace comments::bench
