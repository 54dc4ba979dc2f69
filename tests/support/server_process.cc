#include "tests/support/server_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <iterator>
#include <optional>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/support/errno_status.h"
#include "tests/support/known_secrets.h"
#include "tests/support/secret_scan.h"

namespace comments::testing {
namespace {

// The address from the server's {"msg":"listening","address":...} log line.
// Lines that are not JSON objects (for example gRPC's own logging) are
// skipped.
std::optional<std::string> ListeningAddress(const std::string& line) {
  nlohmann::json entry =
      nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (!entry.is_object()) return std::nullopt;
  auto msg = entry.find("msg");
  auto address = entry.find("address");
  if (msg == entry.end() || !msg->is_string() ||
      msg->get<std::string>() != "listening" || address == entry.end() ||
      !address->is_string()) {
    return std::nullopt;
  }
  return address->get<std::string>();
}

int ExitCode(int status) {
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// poll() takes whole milliseconds; round up so a wait never ends early.
int PollTimeoutMs(absl::Duration remaining) {
  if (remaining == absl::InfiniteDuration()) return -1;
  if (remaining <= absl::ZeroDuration()) return 0;
  int64_t ms =
      absl::ToInt64Milliseconds(absl::Ceil(remaining, absl::Milliseconds(1)));
  return static_cast<int>(std::min<int64_t>(ms, INT_MAX));
}

}  // namespace

absl::StatusOr<std::unique_ptr<ServerProcess>> ServerProcess::Start(
    const std::string& binary, std::vector<std::string> args,
    absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  bool has_listen =
      std::any_of(args.begin(), args.end(), [](const std::string& arg) {
        return absl::StartsWith(arg, "--listen=");
      });
  if (!has_listen) args.push_back("--listen=127.0.0.1:0");
  // Debug lines are where a secret is most likely to slip out.
  bool has_log_level =
      std::any_of(args.begin(), args.end(), [](const std::string& arg) {
        return absl::StartsWith(arg, "--log_level=");
      });
  if (!has_log_level) args.push_back("--log_level=debug");
  // Read now: the key files may be gone when the server is destroyed.
  std::vector<std::string> secrets = KeyMaterialOf(args);
  RememberSecrets(secrets);

  // Everything the child needs is prepared before fork: between fork and exec
  // in a multi-threaded process only async-signal-safe calls are allowed.
  std::vector<char*> argv;
  argv.push_back(const_cast<char*>(binary.c_str()));
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  static constexpr char kExecFailed[] = "exec failed: ";

  int err_pipe[2] = {-1, -1};
  if (pipe2(err_pipe, O_CLOEXEC) != 0) return ErrnoStatus("pipe2");
  const pid_t parent = getpid();
  pid_t pid = fork();
  if (pid < 0) {
    absl::Status error = ErrnoStatus("fork");
    close(err_pipe[0]);
    close(err_pipe[1]);
    return error;
  }
  if (pid == 0) {
    // A crashed or killed test must not leave servers behind. The signal is
    // tied to the forking thread, so call Start from a thread that outlives
    // the server (the test's own thread does).
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(127);  // the test died before prctl
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    int null_fd = open("/dev/null", O_RDONLY);
    if (null_fd >= 0) dup2(null_fd, STDIN_FILENO);
    dup2(err_pipe[1], STDERR_FILENO);
    execv(binary.c_str(), argv.data());
    (void)!write(STDERR_FILENO, kExecFailed, sizeof(kExecFailed) - 1);
    (void)!write(STDERR_FILENO, binary.c_str(), binary.size());
    (void)!write(STDERR_FILENO, "\n", 1);
    _exit(127);
  }
  close(err_pipe[1]);

  // From here on the destructor kills and reaps the child on any error.
  std::unique_ptr<ServerProcess> server(new ServerProcess());
  server->pid_ = pid;
  server->secrets_ = std::move(secrets);
  ServerProcess* self = server.get();
  int read_fd = err_pipe[0];
  server->reader_ =
      std::thread([self, read_fd] { self->DrainStderr(read_fd); });

  bool exited = false;
  {
    absl::MutexLock lock(&server->mu_);
    size_t scanned = 0;
    while (server->address_.empty()) {
      for (; scanned < server->lines_.size(); ++scanned) {
        std::optional<std::string> address =
            ListeningAddress(server->lines_[scanned]);
        if (address.has_value()) {
          server->address_ = *std::move(address);
          break;
        }
      }
      if (!server->address_.empty()) break;
      if (server->eof_) {
        exited = true;
        break;
      }
      auto progressed = [&server, &scanned]() {
        server->mu_.AssertReaderHeld();
        return server->eof_ || server->lines_.size() > scanned;
      };
      if (!server->mu_.AwaitWithTimeout(absl::Condition(&progressed),
                                        deadline - absl::Now())) {
        return absl::DeadlineExceededError(
            absl::StrCat(binary, " did not log \"listening\" within ",
                         absl::FormatDuration(timeout), "; stderr:\n",
                         absl::StrJoin(server->lines_, "\n")));
      }
    }
  }
  if (exited) {
    // Closing stderr means the server is exiting; collect how it ended.
    absl::StatusOr<int> code = server->Stop(SIGKILL, absl::Seconds(10));
    return absl::FailedPreconditionError(
        absl::StrCat(binary, " exited before listening (exit code ",
                     code.ok() ? absl::StrCat(*code) : code.status().ToString(),
                     "); stderr:\n", absl::StrJoin(server->LogLines(), "\n")));
  }
  return server;
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0 && !reaped_) {
    kill(pid_, SIGKILL);
    int status = 0;
    while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    reaped_ = true;
  }
  if (reader_.joinable()) reader_.join();
  // The reader is done: lines_ is complete.
  std::vector<std::string> lines = LogLines();
  for (const SecretFinding& finding : FindSecrets(lines, secrets_)) {
    // The line itself is not shown, it holds the secret; its "msg" (a
    // fixed text of the service's) says where it comes from.
    nlohmann::json entry = nlohmann::json::parse(lines[finding.line], nullptr,
                                                 /*allow_exceptions=*/false);
    const std::string msg =
        entry.is_object() && entry.contains("msg") && entry["msg"].is_string()
            ? entry["msg"].get<std::string>()
            : "(not a JSON line)";
    ADD_FAILURE() << "the server's log line " << finding.line + 1 << " of "
                  << lines.size() << " holds a " << finding.kind
                  << "; its msg: " << msg;
  }
}

absl::StatusOr<int> ServerProcess::Stop(int signal, absl::Duration timeout) {
  if (reaped_) return exit_code_;
  const absl::Time deadline = absl::Now() + timeout;
  if (kill(pid_, signal) != 0 && errno != ESRCH) {
    return ErrnoStatus(absl::StrCat("kill ", pid_));
  }

  // A pidfd becomes readable when the process exits, which gives a bounded
  // wait without polling waitpid in a loop.
  // Through syscall(): bookworm's <sys/pidfd.h> lacks C linkage for C++.
  int pidfd = static_cast<int>(syscall(SYS_pidfd_open, pid_, 0));
  if (pidfd >= 0) {
    int ready = 0;
    do {
      pollfd fd = {pidfd, POLLIN, 0};
      ready = poll(&fd, 1, PollTimeoutMs(deadline - absl::Now()));
    } while (ready < 0 && errno == EINTR);
    close(pidfd);
    if (ready < 0) return ErrnoStatus("poll pidfd");
    if (ready == 0) {
      return absl::DeadlineExceededError(absl::StrCat(
          "process ", pid_, " still running after ",
          absl::FormatDuration(timeout), " (signal ", signal, ")"));
    }
  } else {
    // Kernels without pidfd: the end of stderr marks the exit closely enough.
    absl::MutexLock lock(&mu_);
    if (!mu_.AwaitWithTimeout(absl::Condition(&eof_), deadline - absl::Now())) {
      return absl::DeadlineExceededError(absl::StrCat(
          "process ", pid_, " still running after ",
          absl::FormatDuration(timeout), " (signal ", signal, ")"));
    }
  }

  int status = 0;
  while (waitpid(pid_, &status, 0) < 0) {
    if (errno != EINTR) return ErrnoStatus(absl::StrCat("waitpid ", pid_));
  }
  reaped_ = true;
  exit_code_ = ExitCode(status);
  return exit_code_;
}

absl::StatusOr<ServerProcess::Memory> ServerProcess::ReadMemory() const {
  if (reaped_) return absl::FailedPreconditionError("the process has exited");
  std::ifstream status(absl::StrCat("/proc/", pid_, "/status"));
  if (!status) return absl::NotFoundError(absl::StrCat("no /proc/", pid_));
  Memory memory;
  bool has_rss = false;
  bool has_hwm = false;
  std::string line;
  while (std::getline(status, line)) {
    // "VmRSS:	   12345 kB"
    std::vector<absl::string_view> fields =
        absl::StrSplit(line, absl::ByAnyChar(" \t"), absl::SkipEmpty());
    int64_t kib = 0;
    if (fields.size() != 3 || fields[2] != "kB" ||
        !absl::SimpleAtoi(fields[1], &kib)) {
      continue;
    }
    if (fields[0] == "VmRSS:") {
      memory.resident_bytes = kib * 1024;
      has_rss = true;
    } else if (fields[0] == "VmHWM:") {
      memory.peak_resident_bytes = kib * 1024;
      has_hwm = true;
    }
  }
  if (!has_rss || !has_hwm) {
    return absl::InternalError("no VmRSS or VmHWM in /proc/PID/status");
  }
  return memory;
}

std::vector<std::string> ServerProcess::LogLines() const {
  absl::MutexLock lock(&mu_);
  return lines_;
}

void ServerProcess::DrainStderr(int fd) {
  std::string partial;
  char buffer[8192];
  while (true) {
    ssize_t n = read(fd, buffer, sizeof(buffer));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    partial.append(buffer, static_cast<size_t>(n));
    std::vector<std::string> complete;
    size_t start = 0;
    for (size_t newline = partial.find('\n'); newline != std::string::npos;
         newline = partial.find('\n', start)) {
      complete.push_back(partial.substr(start, newline - start));
      start = newline + 1;
    }
    partial.erase(0, start);
    if (!complete.empty()) {
      absl::MutexLock lock(&mu_);
      std::move(complete.begin(), complete.end(), std::back_inserter(lines_));
    }
  }
  close(fd);
  absl::MutexLock lock(&mu_);
  if (!partial.empty()) lines_.push_back(std::move(partial));
  eof_ = true;
}

}  // namespace comments::testing
