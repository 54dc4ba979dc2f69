// The real comments_server binary as a child process, for black-box tests.
// It listens on 127.0.0.1 port 0; the chosen port is read from the server's
// "listening" log line, so no test waits by sleeping. Standard error is
// drained on a background thread and kept, so tests can inspect the logs.
//
// Every server runs at --log_level=debug unless the test gives a level, and
// when it is destroyed its whole log is scanned for secrets (an email
// address, a moderator token, the key material of its key files;
// secret_scan.h): any one fails the running test.
#ifndef COMMENTS_TESTS_SUPPORT_SERVER_PROCESS_H_
#define COMMENTS_TESTS_SUPPORT_SERVER_PROCESS_H_

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace comments::testing {

class ServerProcess {
 public:
  // Starts `binary` with `args` (plus "--listen=127.0.0.1:0" unless an arg
  // starting with "--listen=" is given, and "--log_level=debug" unless one
  // starting with "--log_level=" is) and waits until it logs
  // {"msg":"listening","address":"127.0.0.1:PORT",...} or exits (error with
  // its stderr), for at most `timeout`.
  static absl::StatusOr<std::unique_ptr<ServerProcess>> Start(
      const std::string& binary, std::vector<std::string> args,
      absl::Duration timeout = absl::Seconds(30));
  // Kills the process (SIGKILL) if still running, then fails the running
  // test (gtest ADD_FAILURE) for every log line that holds a secret.
  ~ServerProcess();

  // "127.0.0.1:PORT".
  const std::string& address() const { return address_; }
  pid_t pid() const { return pid_; }

  // Sends `signal` and waits up to `timeout` for exit; returns the exit code
  // (128 + signal number when killed by a signal), or DEADLINE_EXCEEDED.
  absl::StatusOr<int> Stop(int signal, absl::Duration timeout);

  // Every stderr line so far.
  std::vector<std::string> LogLines() const;

  // The process's resident memory now (VmRSS) and at its peak (VmHWM), in
  // bytes, from /proc/PID/status.
  struct Memory {
    int64_t resident_bytes = 0;
    int64_t peak_resident_bytes = 0;
  };
  absl::StatusOr<Memory> ReadMemory() const;

 private:
  ServerProcess() = default;
  void DrainStderr(int fd);

  pid_t pid_ = -1;
  // Set once waitpid has collected the exit status, so the pid is never
  // signalled or waited for again (it may belong to another process by then).
  bool reaped_ = false;
  int exit_code_ = -1;
  std::string address_;
  // Key material the logs must not contain.
  std::vector<std::string> secrets_;
  std::thread reader_;
  mutable absl::Mutex mu_;
  std::vector<std::string> lines_ ABSL_GUARDED_BY(mu_);
  bool eof_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace comments::testing

#endif  // COMMENTS_TESTS_SUPPORT_SERVER_PROCESS_H_
