// A command-line program as a child process, for black-box tests of tools
// such as commentctl: its environment given in full (nothing leaks in from
// the test's own), text fed to standard input, and standard output readable
// line by line while it runs (for streaming commands), or all of it once it
// has exited. No shell is involved.
#ifndef COMMENTS_TESTS_SUPPORT_CHILD_PROCESS_H_
#define COMMENTS_TESTS_SUPPORT_CHILD_PROCESS_H_

#include <sys/types.h>

#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace comments::testing {

struct ChildResult {
  int exit_code = -1;  // 128 + signal number when killed by a signal
  std::string out;
  std::string err;
};

class ChildProcess {
 public:
  // Starts argv[0] (a path; PATH is not searched) with exactly `env`
  // ("NAME=value" entries) as its environment. Standard input is a pipe that
  // stays open until CloseStdin.
  static absl::StatusOr<std::unique_ptr<ChildProcess>> Start(
      const std::vector<std::string>& argv,
      const std::vector<std::string>& env);
  // Kills the child (SIGKILL) if it is still running.
  ~ChildProcess();

  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  absl::Status WriteStdin(std::string_view text);
  void CloseStdin();

  // The next complete line of standard output (without its newline), waiting
  // up to `timeout`; NOT_FOUND if output ended first, DEADLINE_EXCEEDED if
  // the time ran out.
  absl::StatusOr<std::string> ReadLine(absl::Duration timeout);

  absl::Status Signal(int signal_number);

  // Waits for the child to close its output and exit; on timeout kills it
  // and returns DEADLINE_EXCEEDED with what it wrote so far.
  absl::StatusOr<ChildResult> Wait(absl::Duration timeout);

 private:
  ChildProcess() = default;
  void Drain(int fd, bool is_stdout);

  pid_t pid_ = -1;
  bool reaped_ = false;
  int stdin_fd_ = -1;
  std::thread out_reader_;
  std::thread err_reader_;
  mutable absl::Mutex mu_;
  std::string out_ ABSL_GUARDED_BY(mu_);
  std::string err_ ABSL_GUARDED_BY(mu_);
  // How much of out_ ReadLine has returned.
  size_t lines_read_ ABSL_GUARDED_BY(mu_) = 0;
  int open_streams_ ABSL_GUARDED_BY(mu_) = 2;
  bool out_closed_ ABSL_GUARDED_BY(mu_) = false;
};

// Runs argv to completion with `env`, `input` on standard input.
absl::StatusOr<ChildResult> RunChild(
    const std::vector<std::string>& argv, const std::vector<std::string>& env,
    std::string_view input = "", absl::Duration timeout = absl::Seconds(60));

}  // namespace comments::testing

#endif  // COMMENTS_TESTS_SUPPORT_CHILD_PROCESS_H_
