#include "service/api/server_shutdown.h"

#include <chrono>
#include <thread>
#include <utility>

#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"

namespace comments::api {

void StopServer(grpc::Server& server, absl::Duration grace,
                absl::AnyInvocable<void() &&> at_grace_end) {
  const absl::Time grace_end = absl::Now() + grace;
  absl::Notification stopped;
  // Server::Shutdown blocks until every handler has returned, so the end of
  // the grace is watched from another thread.
  std::thread at_end([&stopped, &at_grace_end, grace_end] {
    if (!stopped.WaitForNotificationWithDeadline(grace_end)) {
      std::move(at_grace_end)();
    }
  });
  server.Shutdown(absl::ToChronoTime(grace_end));
  server.Wait();
  stopped.Notify();
  at_end.join();
}

}  // namespace comments::api
