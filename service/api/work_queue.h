// A fixed set of threads for the blocking steps of callback-API calls.
//
// gRPC runs callback reactions on its own few threads, which must never
// block: a reaction that needs the database (a WatchQueue stream's
// authentication, a page of the existing queue) hands that step to this
// queue instead. The threads are shared by every call, so the number of
// threads stays the same however many streams are open.
#ifndef COMMENTS_SERVICE_API_WORK_QUEUE_H_
#define COMMENTS_SERVICE_API_WORK_QUEUE_H_

#include <deque>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/functional/any_invocable.h"
#include "absl/synchronization/mutex.h"

namespace comments::api {

class WorkQueue {
 public:
  explicit WorkQueue(int threads);
  // Runs everything already scheduled, then joins the threads.
  ~WorkQueue();

  WorkQueue(const WorkQueue&) = delete;
  WorkQueue& operator=(const WorkQueue&) = delete;

  // Runs `work` on one of the threads, in scheduling order.
  void Schedule(absl::AnyInvocable<void() &&> work);

 private:
  void Run();

  absl::Mutex mu_;
  std::deque<absl::AnyInvocable<void() &&>> pending_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::thread> threads_;
};

}  // namespace comments::api

#endif  // COMMENTS_SERVICE_API_WORK_QUEUE_H_
