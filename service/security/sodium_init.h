// Shared by the security sources only; not part of the library's interface.
#ifndef COMMENTS_SERVICE_SECURITY_SODIUM_INIT_H_
#define COMMENTS_SERVICE_SECURITY_SODIUM_INIT_H_

#include <sodium.h>

#include "absl/status/status.h"

namespace comments::security::internal {

// libsodium must be initialised before its primitives are used. The
// function-local static makes the first caller run sodium_init() exactly once
// even when several threads get here together; later calls are free.
inline absl::Status InitSodium() {
  static const bool initialised = sodium_init() >= 0;
  if (!initialised)
    return absl::InternalError("libsodium failed to initialise");
  return absl::OkStatus();
}

}  // namespace comments::security::internal

#endif  // COMMENTS_SERVICE_SECURITY_SODIUM_INIT_H_
