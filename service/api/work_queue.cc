#include "service/api/work_queue.h"

#include <utility>

namespace comments::api {

WorkQueue::WorkQueue(int threads) {
  threads_.reserve(threads);
  for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { Run(); });
}

WorkQueue::~WorkQueue() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  for (std::thread& thread : threads_) thread.join();
}

void WorkQueue::Schedule(absl::AnyInvocable<void() &&> work) {
  absl::MutexLock lock(&mu_);
  pending_.push_back(std::move(work));
}

void WorkQueue::Run() {
  while (true) {
    absl::AnyInvocable<void() &&> work;
    {
      absl::MutexLock lock(&mu_);
      auto ready = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return !pending_.empty() || stopping_;
      };
      mu_.Await(absl::Condition(&ready));
      // What was scheduled before the destructor still runs: a stream
      // waiting for it would otherwise never finish.
      if (pending_.empty()) return;
      work = std::move(pending_.front());
      pending_.pop_front();
    }
    std::move(work)();
  }
}

}  // namespace comments::api
