#include "service/common/periodic_task.h"

#include <utility>

namespace comments {

PeriodicTask::PeriodicTask(absl::Duration every, std::function<void()> run)
    : every_(every), run_(std::move(run)) {}

PeriodicTask::~PeriodicTask() { Stop(); }

void PeriodicTask::Start() {
  if (thread_.joinable()) return;
  thread_ = std::thread([this] { Loop(); });
}

void PeriodicTask::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

void PeriodicTask::Loop() {
  for (;;) {
    {
      absl::MutexLock lock(&mu_);
      if (stopping_) return;
    }
    run_();
    absl::MutexLock lock(&mu_);
    // Wakes early, and ends, when Stop sets stopping_.
    if (mu_.AwaitWithTimeout(absl::Condition(&stopping_), every_)) return;
  }
}

}  // namespace comments
