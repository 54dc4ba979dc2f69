// The shared threads that run callback streams' blocking steps.
#include "service/api/work_queue.h"

#include <atomic>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"

namespace comments::api {
namespace {

TEST(WorkQueueTest, OneThreadRunsWorkInSchedulingOrderOffTheCaller) {
  absl::Mutex mu;
  std::vector<int> order;
  std::atomic<bool> on_caller{false};
  const std::thread::id caller = std::this_thread::get_id();
  {
    WorkQueue queue(1);
    for (int i = 0; i < 50; ++i) {
      queue.Schedule([&, i] {
        if (std::this_thread::get_id() == caller) on_caller = true;
        absl::MutexLock lock(&mu);
        order.push_back(i);
      });
    }
  }  // the destructor runs what was scheduled, then joins
  ASSERT_EQ(order.size(), 50u);
  for (int i = 0; i < 50; ++i) EXPECT_EQ(order[i], i);
  EXPECT_FALSE(on_caller);
}

TEST(WorkQueueTest, ThreadsRunWorkSideBySide) {
  // The first step waits for the second: only a second thread lets both
  // finish.
  absl::Notification second_ran;
  std::atomic<bool> first_saw_second{false};
  {
    WorkQueue queue(2);
    queue.Schedule([&] {
      first_saw_second =
          second_ran.WaitForNotificationWithTimeout(absl::Seconds(20));
    });
    queue.Schedule([&] { second_ran.Notify(); });
  }
  EXPECT_TRUE(first_saw_second);
}

TEST(WorkQueueTest, WorkMayScheduleMoreWork) {
  std::atomic<int> ran{0};
  absl::Notification last;
  WorkQueue queue(2);
  queue.Schedule([&] {
    ++ran;
    queue.Schedule([&] {
      ++ran;
      last.Notify();
    });
  });
  ASSERT_TRUE(last.WaitForNotificationWithTimeout(absl::Seconds(20)));
  EXPECT_EQ(ran.load(), 2);
}

}  // namespace
}  // namespace comments::api
