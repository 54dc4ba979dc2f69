// watch: queue events as they happen, one line (or JSON line) each.
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "client/cli/commands.h"
#include "client/cli/comment_view.h"
#include "client/cli/display_text.h"
#include "client/cli/exit_codes.h"
#include "client/cli/json_output.h"
#include "client/lib/error_details.h"

namespace comments::cli {
namespace {

// Turns SIGINT, SIGTERM and SIGHUP into a call of `on_stop` on a thread of
// its own, so Ctrl-C ends a watch cleanly (the stream is cancelled and the
// exit code is 0) instead of killing the process mid-line. Must be created
// before gRPC starts its threads: they inherit the blocked signals, which
// leaves the waiting thread as the only one to receive them. A second
// signal exits at once.
class StopSignals {
 public:
  StopSignals() {
    sigemptyset(&signals_);
    sigaddset(&signals_, SIGINT);
    sigaddset(&signals_, SIGTERM);
    sigaddset(&signals_, SIGHUP);
    // Wakes the waiter when the watch is over.
    sigaddset(&signals_, SIGUSR1);
    pthread_sigmask(SIG_BLOCK, &signals_, &previous_);
    waiter_ = std::thread([this] { Wait(); });
  }

  ~StopSignals() {
    pthread_kill(waiter_.native_handle(), SIGUSR1);
    waiter_.join();
    pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
  }

  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;

  // Runs `on_stop` at the first signal, or now if one already came.
  void OnStop(std::function<void()> on_stop) {
    absl::MutexLock lock(&mu_);
    on_stop_ = std::move(on_stop);
    if (stopped_ && on_stop_) on_stop_();
  }

  bool stopped() const {
    absl::MutexLock lock(&mu_);
    return stopped_;
  }

  // Waits up to `timeout`, less if a signal comes; true if one came.
  bool WaitForStop(absl::Duration timeout) const {
    absl::MutexLock lock(&mu_);
    return mu_.AwaitWithTimeout(absl::Condition(&stopped_), timeout);
  }

 private:
  void Wait() {
    while (true) {
      int signal_number = 0;
      if (sigwait(&signals_, &signal_number) != 0) continue;
      if (signal_number == SIGUSR1) return;
      absl::MutexLock lock(&mu_);
      if (stopped_) _exit(128 + signal_number);
      stopped_ = true;
      if (on_stop_) on_stop_();
    }
  }

  sigset_t signals_;
  sigset_t previous_;
  std::thread waiter_;
  mutable absl::Mutex mu_;
  std::function<void()> on_stop_ ABSL_GUARDED_BY(mu_);
  bool stopped_ ABSL_GUARDED_BY(mu_) = false;
};

std::string KindName(v1::QueueEvent::Kind kind) {
  if (kind == v1::QueueEvent::KIND_UNSPECIFIED) return "-";
  return v1::QueueEvent::Kind_Name(kind);
}

void PrintEvent(Session& session, const v1::QueueEvent& event) {
  if (session.json()) {
    // JSON lines: one compact document per event.
    session.out() << ToJson(event).dump(
                         -1, ' ', false,
                         nlohmann::json::error_handler_t::replace)
                  << std::endl;
    return;
  }
  std::string kind = KindName(event.kind());
  std::string state = StateName(event.state());
  kind.resize(std::max<size_t>(kind.size(), 7), ' ');
  state.resize(std::max<size_t>(state.size(), 8), ' ');
  session.out() << FormatTime(event.event_time()) << "  " << kind << "  "
                << state << "  " << Printable(event.comment());
  if (!event.actor().empty()) session.out() << "  " << Printable(event.actor());
  // Flushed per event: whoever reads a pipe sees events as they happen.
  session.out() << std::endl;
}

}  // namespace

// A stream that ends with UNAVAILABLE (the server or its database
// restarting, or the server shutting down) is opened again after the
// server's RetryInfo delay, else after a backoff that doubles up to
// kMaxReconnectDelay, with include_existing: the comments that entered the
// queue meanwhile are shown, and pending ones shown before may be shown
// again.
constexpr absl::Duration kFirstReconnectDelay = absl::Milliseconds(250);
constexpr absl::Duration kMaxReconnectDelay = absl::Seconds(5);

int RunWatch(Session& session, const WatchOptions& options) {
  std::optional<StopSignals> signals;
  if (options.handle_signals) signals.emplace();
  auto client = session.Moderation();
  if (!client.ok()) return session.Fail(client.status());

  v1::WatchQueueRequest request;
  if (!options.thread.empty()) request.set_parent(ThreadName(options.thread));
  request.set_include_existing(options.include_existing);

  // The open stream, for the signal handler to cancel.
  absl::Mutex watch_mu;
  client::QueueWatch* open_watch = nullptr;
  if (signals.has_value()) {
    signals->OnStop([&watch_mu, &open_watch] {
      absl::MutexLock lock(&watch_mu);
      if (open_watch != nullptr) open_watch->Cancel();
    });
  }
  auto stopped = [&signals] {
    return signals.has_value() && signals->stopped();
  };

  int shown = 0;
  absl::Duration backoff = kFirstReconnectDelay;
  absl::Status status;
  bool ended_here = false;
  while (true) {
    std::unique_ptr<client::QueueWatch> watch = (*client)->WatchQueue(request);
    {
      absl::MutexLock lock(&watch_mu);
      open_watch = watch.get();
    }
    // A signal that came while no stream was open.
    if (stopped()) watch->Cancel();
    v1::QueueEvent event;
    while (watch->Next(&event)) {
      PrintEvent(session, event);
      backoff = kFirstReconnectDelay;
      if (options.max_events > 0 && ++shown >= options.max_events) {
        watch->Cancel();
        break;
      }
    }
    ended_here =
        (options.max_events > 0 && shown >= options.max_events) || stopped();
    status = watch->Finish();
    {
      absl::MutexLock lock(&watch_mu);
      open_watch = nullptr;
    }
    if (ended_here || !options.reconnect ||
        status.code() != absl::StatusCode::kUnavailable) {
      break;
    }
    const absl::Duration delay =
        client::GetErrorDetails(status).retry_delay.value_or(backoff);
    backoff = std::min(backoff * 2, kMaxReconnectDelay);
    session.err() << "watch: " << status.message() << "; reconnecting in "
                  << absl::FormatDuration(delay) << std::endl;
    if (signals.has_value() ? signals->WaitForStop(delay)
                            : (absl::SleepFor(delay), false)) {
      ended_here = true;
      break;
    }
    request.set_include_existing(true);
  }
  // No more calls of the handler once the watch is gone.
  if (signals.has_value()) signals->OnStop(nullptr);
  if (ended_here || status.ok()) return kExitOk;
  return session.Fail(status);
}

}  // namespace comments::cli
