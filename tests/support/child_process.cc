#include "tests/support/child_process.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"
#include "tests/support/errno_status.h"

namespace comments::testing {
namespace {

void ClosePipe(int fds[2]) {
  for (int i = 0; i < 2; ++i) {
    if (fds[i] >= 0) close(fds[i]);
    fds[i] = -1;
  }
}

}  // namespace

absl::StatusOr<std::unique_ptr<ChildProcess>> ChildProcess::Start(
    const std::vector<std::string>& argv, const std::vector<std::string>& env) {
  if (argv.empty()) return absl::InvalidArgumentError("empty command");
  int in_pipe[2] = {-1, -1};
  int out_pipe[2] = {-1, -1};
  int err_pipe[2] = {-1, -1};
  if (pipe2(in_pipe, O_CLOEXEC) != 0 || pipe2(out_pipe, O_CLOEXEC) != 0 ||
      pipe2(err_pipe, O_CLOEXEC) != 0) {
    absl::Status error = ErrnoStatus("pipe2");
    ClosePipe(in_pipe);
    ClosePipe(out_pipe);
    ClosePipe(err_pipe);
    return error;
  }
  // A child that exits without reading its input must not kill the test.
  signal(SIGPIPE, SIG_IGN);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in_pipe[0], STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err_pipe[1], STDERR_FILENO);
  // The child starts with default signal handling and nothing blocked,
  // whatever the test's threads have done.
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  sigset_t none;
  sigemptyset(&none);
  sigset_t all;
  sigfillset(&all);
  posix_spawnattr_setsigmask(&attributes, &none);
  posix_spawnattr_setsigdefault(&attributes, &all);
  posix_spawnattr_setflags(&attributes,
                           POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

  std::vector<char*> c_argv;
  c_argv.reserve(argv.size() + 1);
  for (const std::string& arg : argv) {
    c_argv.push_back(const_cast<char*>(arg.c_str()));
  }
  c_argv.push_back(nullptr);
  std::vector<char*> c_env;
  c_env.reserve(env.size() + 1);
  for (const std::string& entry : env) {
    c_env.push_back(const_cast<char*>(entry.c_str()));
  }
  c_env.push_back(nullptr);

  pid_t pid = -1;
  const int spawned = posix_spawn(&pid, c_argv[0], &actions, &attributes,
                                  c_argv.data(), c_env.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  // Only the child keeps these ends, so end of file means it closed them.
  close(in_pipe[0]);
  close(out_pipe[1]);
  close(err_pipe[1]);
  if (spawned != 0) {
    close(in_pipe[1]);
    close(out_pipe[0]);
    close(err_pipe[0]);
    return absl::InternalError(
        absl::StrCat("cannot run ", argv[0], ": ", std::strerror(spawned)));
  }
  std::unique_ptr<ChildProcess> child(new ChildProcess());
  child->pid_ = pid;
  child->stdin_fd_ = in_pipe[1];
  ChildProcess* self = child.get();
  const int out_fd = out_pipe[0];
  const int err_fd = err_pipe[0];
  child->out_reader_ =
      std::thread([self, out_fd] { self->Drain(out_fd, true); });
  child->err_reader_ =
      std::thread([self, err_fd] { self->Drain(err_fd, false); });
  return child;
}

ChildProcess::~ChildProcess() {
  CloseStdin();
  if (pid_ > 0 && !reaped_) {
    kill(pid_, SIGKILL);
    int status = 0;
    while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
  }
  if (out_reader_.joinable()) out_reader_.join();
  if (err_reader_.joinable()) err_reader_.join();
}

absl::Status ChildProcess::WriteStdin(std::string_view text) {
  if (stdin_fd_ < 0) return absl::FailedPreconditionError("stdin is closed");
  while (!text.empty()) {
    const ssize_t n = write(stdin_fd_, text.data(), text.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus("write to child");
    }
    text.remove_prefix(static_cast<size_t>(n));
  }
  return absl::OkStatus();
}

void ChildProcess::CloseStdin() {
  if (stdin_fd_ >= 0) close(stdin_fd_);
  stdin_fd_ = -1;
}

absl::StatusOr<std::string> ChildProcess::ReadLine(absl::Duration timeout) {
  absl::MutexLock lock(&mu_);
  auto line_or_end = [this]() {
    mu_.AssertReaderHeld();
    return out_closed_ || out_.find('\n', lines_read_) != std::string::npos;
  };
  if (!mu_.AwaitWithTimeout(absl::Condition(&line_or_end), timeout)) {
    return absl::DeadlineExceededError(
        absl::StrCat("no line on stdout within ", absl::FormatDuration(timeout),
                     "; stdout so far:\n", out_, "\nstderr so far:\n", err_));
  }
  const size_t newline = out_.find('\n', lines_read_);
  if (newline == std::string::npos) {
    return absl::NotFoundError(absl::StrCat("stdout ended; stderr:\n", err_));
  }
  std::string line = out_.substr(lines_read_, newline - lines_read_);
  lines_read_ = newline + 1;
  return line;
}

absl::Status ChildProcess::Signal(int signal_number) {
  if (reaped_) return absl::FailedPreconditionError("the child has exited");
  if (kill(pid_, signal_number) != 0) return ErrnoStatus("kill");
  return absl::OkStatus();
}

absl::StatusOr<ChildResult> ChildProcess::Wait(absl::Duration timeout) {
  bool closed = false;
  {
    absl::MutexLock lock(&mu_);
    auto all_closed = [this]() {
      mu_.AssertReaderHeld();
      return open_streams_ == 0;
    };
    closed = mu_.AwaitWithTimeout(absl::Condition(&all_closed), timeout);
  }
  if (!closed) kill(pid_, SIGKILL);
  int status = 0;
  while (waitpid(pid_, &status, 0) < 0) {
    if (errno != EINTR) return ErrnoStatus("waitpid");
  }
  reaped_ = true;
  out_reader_.join();
  err_reader_.join();
  ChildResult result;
  result.exit_code =
      WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  absl::MutexLock lock(&mu_);
  result.out = out_;
  result.err = err_;
  if (!closed) {
    return absl::DeadlineExceededError(
        absl::StrCat("still running after ", absl::FormatDuration(timeout),
                     "; stdout:\n", result.out, "\nstderr:\n", result.err));
  }
  return result;
}

void ChildProcess::Drain(int fd, bool is_stdout) {
  char buffer[4096];
  while (true) {
    const ssize_t n = read(fd, buffer, sizeof(buffer));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    absl::MutexLock lock(&mu_);
    (is_stdout ? out_ : err_).append(buffer, static_cast<size_t>(n));
  }
  close(fd);
  absl::MutexLock lock(&mu_);
  --open_streams_;
  if (is_stdout) out_closed_ = true;
}

absl::StatusOr<ChildResult> RunChild(const std::vector<std::string>& argv,
                                     const std::vector<std::string>& env,
                                     std::string_view input,
                                     absl::Duration timeout) {
  auto child = ChildProcess::Start(argv, env);
  if (!child.ok()) return child.status();
  absl::Status written = (*child)->WriteStdin(input);
  (*child)->CloseStdin();
  // A child that exits without reading its input closes the pipe (EPIPE);
  // its output still tells what happened.
  (void)written;
  return (*child)->Wait(timeout);
}

}  // namespace comments::testing
