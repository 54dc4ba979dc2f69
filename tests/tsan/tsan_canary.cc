// The ThreadSanitizer run's own check (scripts/sanitize.sh): two threads
// count to the same integer, under an absl::Mutex ("guarded") or not
// ("unguarded"). With absl_sync_annotations.cc the guarded count must pass
// and the unguarded one must still be reported, or the TSan run proves
// nothing.
#include <cstdio>
#include <cstring>
#include <thread>

#include "absl/synchronization/mutex.h"

namespace {

constexpr int kRounds = 10000;

int Count(bool guarded) {
  absl::Mutex mu;
  int count = 0;
  auto work = [&] {
    for (int i = 0; i < kRounds; ++i) {
      if (guarded) {
        absl::MutexLock lock(&mu);
        ++count;
      } else {
        ++count;
      }
    }
  };
  std::thread first(work);
  std::thread second(work);
  first.join();
  second.join();
  return count;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2 || (std::strcmp(argv[1], "guarded") != 0 &&
                    std::strcmp(argv[1], "unguarded") != 0)) {
    std::fprintf(stderr, "usage: tsan_canary guarded|unguarded\n");
    return 2;
  }
  const bool guarded = std::strcmp(argv[1], "guarded") == 0;
  const int count = Count(guarded);
  // Only the guarded count is sure to be exact.
  return guarded && count != 2 * kRounds ? 1 : 0;
}
