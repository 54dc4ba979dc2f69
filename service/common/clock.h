// Where the service reads the time from, so that rules about time (flood
// control) can be tested at their exact boundaries without waiting.
#ifndef COMMENTS_SERVICE_COMMON_CLOCK_H_
#define COMMENTS_SERVICE_COMMON_CLOCK_H_

#include "absl/time/time.h"

namespace comments {

class Clock {
 public:
  virtual ~Clock() = default;
  // Safe to call from any thread.
  virtual absl::Time Now() const = 0;
};

// The wall clock (absl::Now()). Lives for the whole program.
const Clock& SystemClock();

}  // namespace comments

#endif  // COMMENTS_SERVICE_COMMON_CLOCK_H_
