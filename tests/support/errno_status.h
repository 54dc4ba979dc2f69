// The status for a failed system call of the test harness: what was tried
// and errno's text.
#ifndef COMMENTS_TESTS_SUPPORT_ERRNO_STATUS_H_
#define COMMENTS_TESTS_SUPPORT_ERRNO_STATUS_H_

#include <cerrno>
#include <cstring>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace comments::testing {

// Reads errno first, so building the message cannot change it.
inline absl::Status ErrnoStatus(absl::string_view what) {
  const int saved = errno;
  return absl::InternalError(absl::StrCat(what, ": ", std::strerror(saved)));
}

}  // namespace comments::testing

#endif  // COMMENTS_TESTS_SUPPORT_ERRNO_STATUS_H_
