// A background thread that runs one function at once and then at a fixed
// interval until stopped; Stop wakes it at once instead of waiting for the
// next interval. The periodic maintenance and the metrics' database reads
// are such tasks.
#ifndef COMMENTS_SERVICE_COMMON_PERIODIC_TASK_H_
#define COMMENTS_SERVICE_COMMON_PERIODIC_TASK_H_

#include <functional>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace comments {

class PeriodicTask {
 public:
  // `run` must bound its own work: Stop waits for a run under way.
  PeriodicTask(absl::Duration every, std::function<void()> run);
  ~PeriodicTask();  // Stops.

  PeriodicTask(const PeriodicTask&) = delete;
  PeriodicTask& operator=(const PeriodicTask&) = delete;

  // Starts the thread. At most once; later calls do nothing.
  void Start();

  // Ends the thread once a run under way has returned. Idempotent.
  void Stop();

 private:
  void Loop();

  const absl::Duration every_;
  const std::function<void()> run_;
  absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace comments

#endif  // COMMENTS_SERVICE_COMMON_PERIODIC_TASK_H_
