// RunLoad with in-process calls: no server, only the runner's timing and
// bookkeeping.
#include "bench/load_runner.h"

#include <atomic>
#include <memory>
#include <string>

#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"

namespace comments::bench {
namespace {

LoadOptions ShortRun(int concurrency) {
  LoadOptions options;
  options.concurrency = concurrency;
  options.warmup = absl::Milliseconds(50);
  options.duration = absl::Milliseconds(200);
  options.call_timeout = absl::Milliseconds(100);
  options.straggler_margin = absl::Milliseconds(100);
  return options;
}

TEST(LoadRunnerTest, EveryCallerRecordsItsOwnOutcomesAndTheRunEndsByItself) {
  std::atomic<int64_t> made{0};
  const absl::Time start = absl::Now();
  auto records = RunLoad(ShortRun(4), [&made](int index) -> Call {
    // Caller 3 fails every other call; the others always succeed.
    return [&made, index, count = 0]() mutable -> std::string {
      made.fetch_add(1);
      ++count;
      return index == 3 && count % 2 == 0 ? "UNAVAILABLE" : "";
    };
  });
  const absl::Duration elapsed = absl::Now() - start;

  ASSERT_TRUE(records.ok()) << records.status();
  ASSERT_EQ(records->size(), 4u);
  int64_t recorded = 0;
  for (int i = 0; i < 4; ++i) {
    const CallerRecord& record = (*records)[i];
    EXPECT_GT(record.ok, 0) << "caller " << i;
    int64_t failed = 0;
    for (const auto& [label, count] : record.errors) failed += count;
    EXPECT_EQ(record.ok + failed,
              static_cast<int64_t>(record.latencies_ns.size()));
    if (i == 3) {
      ASSERT_EQ(record.errors.size(), 1u);
      EXPECT_GT(record.errors.at("UNAVAILABLE"), 0);
    } else {
      EXPECT_TRUE(record.errors.empty()) << "caller " << i;
    }
    recorded += static_cast<int64_t>(record.latencies_ns.size());
  }
  // Calls completed during the warm-up are made but not recorded.
  EXPECT_LT(recorded, made.load());
  EXPECT_GE(elapsed, absl::Milliseconds(250));
  EXPECT_LT(elapsed, absl::Seconds(5));
}

TEST(LoadRunnerTest, EveryCallIsCountedAndTheWindowHooksRunAtItsEdges) {
  std::atomic<int64_t> made{0};
  LoadOptions options = ShortRun(3);
  const absl::Time start = absl::Now();
  absl::Time opened;
  absl::Time closed;
  int hooks_run = 0;
  options.on_window_start = [&] {
    opened = absl::Now();
    ++hooks_run;
  };
  options.on_window_end = [&] {
    closed = absl::Now();
    ++hooks_run;
  };
  auto records = RunLoad(options, [&made](int index) -> Call {
    // Caller 0 fails every third call, in the window and outside it.
    return [&made, index, count = 0]() mutable -> std::string {
      made.fetch_add(1);
      ++count;
      return index == 0 && count % 3 == 0 ? "ABORTED" : "";
    };
  });
  ASSERT_TRUE(records.ok()) << records.status();

  EXPECT_EQ(hooks_run, 2);
  // Each hook runs once its edge has passed, the start before the end.
  EXPECT_GE(opened - start, options.warmup);
  EXPECT_GE(closed - start, options.warmup + options.duration);
  EXPECT_LT(opened, closed);
  EXPECT_LT(closed - start, absl::Seconds(5));
  int64_t accounted = 0;
  for (const CallerRecord& record : *records) {
    EXPECT_GE(record.acknowledged, record.ok);
    int64_t failed = record.unmeasured_errors;
    for (const auto& [label, count] : record.errors) failed += count;
    accounted += record.acknowledged + failed;
  }
  // Each call is acknowledged or failed, whenever it finished.
  EXPECT_EQ(accounted, made.load());
  EXPECT_GT((*records)[0].unmeasured_errors, 0);
}

TEST(LoadRunnerTest, ACallerStuckPastItsDeadlineIsReportedNotWaitedFor) {
  // Shared with the stuck caller's thread, which outlives this test's scope
  // until the notification releases it.
  auto release = std::make_shared<absl::Notification>();
  auto records = RunLoad(ShortRun(2), [release](int index) -> Call {
    return [release, index]() -> std::string {
      if (index == 1) release->WaitForNotification();
      return "";
    };
  });
  release->Notify();
  ASSERT_EQ(records.status().code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_EQ(records.status().message(),
            "1 of 2 callers were still in a call past their deadline");
}

}  // namespace
}  // namespace comments::bench
