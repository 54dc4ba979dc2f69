// The lower bounds of numeric flags, checked in one pass so that start-up
// fails on the first bad one with a message naming it.
#ifndef COMMENTS_SERVICE_STARTUP_FLAG_CHECKS_H_
#define COMMENTS_SERVICE_STARTUP_FLAG_CHECKS_H_

#include <cstdint>
#include <initializer_list>
#include <string_view>

#include "absl/status/status.h"

namespace comments::startup {

struct FlagMinimum {
  std::string_view flag;  // without the leading "--"
  int64_t value = 0;
  int64_t minimum = 0;
};

// OK, or INVALID_ARGUMENT "bad --FLAG=VALUE: --FLAG must be MINIMUM or more"
// for the first flag below its minimum.
absl::Status CheckMinimums(std::initializer_list<FlagMinimum> flags);

}  // namespace comments::startup

#endif  // COMMENTS_SERVICE_STARTUP_FLAG_CHECKS_H_
