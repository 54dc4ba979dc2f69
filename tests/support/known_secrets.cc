#include "tests/support/known_secrets.h"

#include <set>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace comments::testing {
namespace {

struct Remembered {
  absl::Mutex mu;
  std::set<std::string> secrets ABSL_GUARDED_BY(mu);
};

// Servers start on the tests' threads while gRPC's threads read the list.
Remembered& TheRemembered() {
  // Never destroyed: interceptors may still read it while the process exits.
  static Remembered* const remembered = new Remembered();
  return *remembered;
}

}  // namespace

void RememberSecrets(const std::vector<std::string>& secrets) {
  Remembered& remembered = TheRemembered();
  absl::MutexLock lock(&remembered.mu);
  for (const std::string& secret : secrets) {
    if (!secret.empty()) remembered.secrets.insert(secret);
  }
}

std::vector<std::string> RememberedSecrets() {
  Remembered& remembered = TheRemembered();
  absl::MutexLock lock(&remembered.mu);
  return {remembered.secrets.begin(), remembered.secrets.end()};
}

}  // namespace comments::testing
