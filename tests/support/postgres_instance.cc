#include "tests/support/postgres_instance.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <locale.h>
#include <netinet/in.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <spawn.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "tests/support/errno_status.h"

extern char** environ;

namespace comments::testing {
namespace {

constexpr char kDefaultBinDir[] = "/usr/lib/postgresql/15/bin";
constexpr char kHost[] = "127.0.0.1";
constexpr char kSuperuser[] = "postgres";
// Retries when another process takes the chosen port between probing it and
// the postmaster binding it.
constexpr int kStartAttempts = 5;

struct CommandResult {
  int exit_code = 0;  // 128 + signal number when killed by a signal
  std::string out;
  std::string err;
};

class FdCloser {
 public:
  explicit FdCloser(int* fd) : fd_(fd) {}
  ~FdCloser() {
    if (*fd_ >= 0) close(*fd_);
    *fd_ = -1;
  }
  FdCloser(const FdCloser&) = delete;
  FdCloser& operator=(const FdCloser&) = delete;

 private:
  int* fd_;
};

// Runs argv[0] (searched in PATH) in `cwd` with stdin from /dev/null and
// collects stdout and stderr. The argument vector goes to exec as is, so no
// SQL or path is ever interpreted by a shell. Pipes are close-on-exec so a
// long-lived child (the postmaster) never holds another command's pipe open.
absl::StatusOr<CommandResult> RunCommand(const std::vector<std::string>& argv,
                                         const std::string& cwd) {
  int out_pipe[2] = {-1, -1};
  int err_pipe[2] = {-1, -1};
  if (pipe2(out_pipe, O_CLOEXEC) != 0) return ErrnoStatus("pipe2");
  FdCloser out_r(&out_pipe[0]), out_w(&out_pipe[1]);
  if (pipe2(err_pipe, O_CLOEXEC) != 0) return ErrnoStatus("pipe2");
  FdCloser err_r(&err_pipe[0]), err_w(&err_pipe[1]);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err_pipe[1], 2);
  if (!cwd.empty()) {
    posix_spawn_file_actions_addchdir_np(&actions, cwd.c_str());
  }
  std::vector<char*> c_argv;
  c_argv.reserve(argv.size() + 1);
  for (const std::string& arg : argv) {
    c_argv.push_back(const_cast<char*>(arg.c_str()));
  }
  c_argv.push_back(nullptr);

  pid_t pid = -1;
  int rc =
      posix_spawnp(&pid, c_argv[0], &actions, nullptr, c_argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    return absl::InternalError(
        absl::StrCat("cannot run ", argv[0], ": ", std::strerror(rc)));
  }
  // Only the child may hold the write ends, so EOF means it is done.
  close(out_pipe[1]);
  out_pipe[1] = -1;
  close(err_pipe[1]);
  err_pipe[1] = -1;

  CommandResult result;
  pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
  std::string* sinks[2] = {&result.out, &result.err};
  int open_fds = 2;
  char buffer[8192];
  while (open_fds > 0) {
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus("poll");
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      ssize_t n = read(fds[i].fd, buffer, sizeof(buffer));
      if (n > 0) {
        sinks[i]->append(buffer, static_cast<size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        fds[i].fd = -1;  // poll ignores negative descriptors
        --open_fds;
      }
    }
  }

  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return ErrnoStatus("waitpid");
  }
  result.exit_code =
      WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

// Asks the kernel for a free port. Another process may take it before the
// postmaster binds it; Start retries with a new port when that happens.
absl::StatusOr<int> PickFreePort() {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return ErrnoStatus("socket");
  FdCloser closer(&fd);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
    return ErrnoStatus("bind 127.0.0.1:0");
  }
  socklen_t length = sizeof(address);
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    return ErrnoStatus("getsockname");
  }
  return static_cast<int>(ntohs(address.sin_port));
}

// Whether `uid` (primary group `gid`) may enter `path` and every folder above
// it. Supplementary groups are ignored, so the answer errs towards "no".
bool Traversable(const std::string& path, uid_t uid, gid_t gid) {
  std::error_code error;
  std::filesystem::path folder = std::filesystem::absolute(path, error);
  if (error) return false;
  while (true) {
    struct stat info {};
    if (stat(folder.c_str(), &info) != 0) return false;
    bool allowed = info.st_uid == uid   ? (info.st_mode & S_IXUSR) != 0
                   : info.st_gid == gid ? (info.st_mode & S_IXGRP) != 0
                                        : (info.st_mode & S_IXOTH) != 0;
    if (!allowed) return false;
    if (folder == folder.root_path()) return true;
    folder = folder.parent_path();
  }
}

// PostgreSQL prefers a UTF-8 collation; plain C is the fallback on systems
// without C.UTF-8.
std::string PickLocale() {
  locale_t probe = newlocale(LC_ALL_MASK, "C.UTF-8", static_cast<locale_t>(0));
  if (probe == static_cast<locale_t>(0)) return "C";
  freelocale(probe);
  return "C.UTF-8";
}

// pg_ctl hands its -o string to /bin/sh, so paths inside it need quoting.
std::string ShellQuote(std::string_view text) {
  std::string quoted = "'";
  for (char c : text) {
    if (c == '\'') {
      quoted += "'\\''";
    } else {
      quoted += c;
    }
  }
  quoted += "'";
  return quoted;
}

// Value quoting for libpq keyword/value connection strings.
std::string ConninfoQuote(std::string_view value) {
  std::string quoted = "'";
  for (char c : value) {
    if (c == '\'' || c == '\\') quoted += '\\';
    quoted += c;
  }
  quoted += "'";
  return quoted;
}

std::string PercentEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string encoded;
  for (unsigned char c : text) {
    bool unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                      (c >= '0' && c <= '9') || c == '-' || c == '.' ||
                      c == '_' || c == '~';
    if (unreserved) {
      encoded += static_cast<char>(c);
    } else {
      encoded += '%';
      encoded += kHex[c >> 4];
      encoded += kHex[c & 0xF];
    }
  }
  return encoded;
}

std::string QuoteIdentifier(std::string_view name) {
  std::string quoted = "\"";
  for (char c : name) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  quoted += "\"";
  return quoted;
}

// The last lines of the server log: the reason for a failed start is there,
// not in pg_ctl's own output.
std::string LogTail(const std::string& path, size_t max_lines = 30) {
  std::ifstream in(path);
  if (!in) return "(no server log at " + path + ")";
  std::string content((std::istreambuf_iterator<char>(in)),
                      std::istreambuf_iterator<char>());
  std::vector<absl::string_view> lines =
      absl::StrSplit(content, '\n', absl::SkipEmpty());
  if (lines.size() > max_lines) {
    lines.erase(lines.begin(), lines.end() - static_cast<ptrdiff_t>(max_lines));
  }
  return absl::StrJoin(lines, "\n");
}

std::string Describe(const std::vector<std::string>& argv,
                     const CommandResult& result) {
  return absl::StrCat(absl::StrJoin(argv, " "), " exited with ",
                      result.exit_code, ": ", result.out, result.err);
}

// The processes whose parent is `parent`, from /proc.
std::vector<pid_t> ChildrenOf(pid_t parent) {
  std::vector<pid_t> children;
  std::error_code error;
  for (const auto& entry :
       std::filesystem::directory_iterator("/proc", error)) {
    int pid = 0;
    // Only the numbered folders are processes (/proc/net/stat is a folder).
    if (!absl::SimpleAtoi(entry.path().filename().string(), &pid)) continue;
    std::ifstream stat_file(entry.path() / "stat");
    std::string stat((std::istreambuf_iterator<char>(stat_file)),
                     std::istreambuf_iterator<char>());
    // "pid (comm) state ppid ...": comm may hold spaces, so read after ')'.
    size_t close_paren = stat.rfind(')');
    if (close_paren == std::string::npos) continue;
    std::vector<absl::string_view> fields =
        absl::StrSplit(absl::string_view(stat).substr(close_paren + 1), ' ',
                       absl::SkipEmpty());
    int ppid = 0;
    if (fields.size() < 2 || !absl::SimpleAtoi(fields[1], &ppid) ||
        ppid != parent) {
      continue;
    }
    children.push_back(pid);
  }
  return children;
}

// Waits until `pid` (not necessarily a child of ours) has exited.
absl::Status AwaitExit(pid_t pid, absl::Time deadline) {
  int pidfd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
  if (pidfd < 0) {
    if (errno == ESRCH) return absl::OkStatus();  // already gone
    return ErrnoStatus(absl::StrCat("pidfd_open ", pid));
  }
  FdCloser closer(&pidfd);
  while (true) {
    pollfd fd = {pidfd, POLLIN, 0};
    int64_t wait_ms = std::max<int64_t>(
        0, absl::ToInt64Milliseconds(deadline - absl::Now()) + 1);
    int ready = poll(&fd, 1, static_cast<int>(wait_ms));
    if (ready > 0) return absl::OkStatus();
    if (ready == 0) {
      return absl::DeadlineExceededError(
          absl::StrCat("process ", pid, " still running"));
    }
    if (errno != EINTR) return ErrnoStatus("poll pidfd");
  }
}

std::uintmax_t FileSize(const std::string& path) {
  std::error_code ignored;
  std::uintmax_t size = std::filesystem::file_size(path, ignored);
  return ignored ? 0 : size;
}

// Everything that runs a PostgreSQL binary goes through this, so the
// root/non-root difference lives in one place.
struct Runner {
  bool as_postgres_user;
  std::string cwd;

  absl::StatusOr<CommandResult> Run(std::vector<std::string> argv) const {
    if (as_postgres_user) {
      // PostgreSQL refuses to run as root; runuser keeps the environment and
      // needs no password.
      argv.insert(argv.begin(), {"runuser", "-u", kSuperuser, "--"});
    }
    return RunCommand(argv, cwd);
  }
};

Runner MakeRunner(const std::string& root_dir) {
  return Runner{geteuid() == 0, root_dir};
}

// Runs a pg_ctl command line; a failure carries the server log's tail.
absl::Status RunPgCtl(const Runner& runner,
                      const std::vector<std::string>& argv,
                      const std::string& root_dir) {
  absl::StatusOr<CommandResult> result = runner.Run(argv);
  if (!result.ok()) return result.status();
  if (result->exit_code != 0) {
    return absl::InternalError(absl::StrCat(Describe(argv, *result),
                                            "\nserver log:\n",
                                            LogTail(root_dir + "/log")));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<PostgresInstance>> PostgresInstance::Start(
    Durability durability) {
  std::unique_ptr<PostgresInstance> instance(new PostgresInstance());
  instance->durability_ = durability;
  const char* bin_dir = std::getenv("PG_BINDIR");
  instance->bin_dir_ = bin_dir != nullptr && *bin_dir != '\0'
                           ? std::string(bin_dir)
                           : std::string(kDefaultBinDir);
  if (access((instance->bin_dir_ + "/initdb").c_str(), X_OK) != 0) {
    return absl::NotFoundError(absl::StrCat(
        "no PostgreSQL initdb in ", instance->bin_dir_, " (set PG_BINDIR)"));
  }

  // When root, the server runs as the postgres user, found before choosing
  // the folder so that the folder can be one that user can reach.
  std::optional<std::pair<uid_t, gid_t>> postgres_user;
  if (geteuid() == 0) {
    // The reentrant lookup, since tests may start instances from threads.
    passwd entry{};
    passwd* found = nullptr;
    std::vector<char> buffer(16384);
    int rc =
        getpwnam_r(kSuperuser, &entry, buffer.data(), buffer.size(), &found);
    if (rc != 0 || found == nullptr) {
      return absl::FailedPreconditionError(
          "running as root but there is no \"postgres\" system user to run "
          "PostgreSQL as");
    }
    postgres_user.emplace(entry.pw_uid, entry.pw_gid);
  }

  const char* tmp = std::getenv("TMPDIR");
  std::string tmp_dir = tmp != nullptr && *tmp != '\0' ? tmp : "/tmp";
  if (postgres_user.has_value() &&
      !Traversable(tmp_dir, postgres_user->first, postgres_user->second)) {
    // Root's $TMPDIR is often under /root, which the postgres user cannot
    // enter.
    tmp_dir = "/tmp";
  }
  std::string pattern = tmp_dir + "/comments-pg-XXXXXX";
  if (mkdtemp(pattern.data()) == nullptr) {
    return ErrnoStatus(absl::StrCat("mkdtemp ", pattern));
  }
  // From here on the destructor removes the folder whatever fails.
  instance->root_dir_ = pattern;
  instance->data_dir_ = instance->root_dir_ + "/data";
  if (postgres_user.has_value() &&
      chown(instance->root_dir_.c_str(), postgres_user->first,
            postgres_user->second) != 0) {
    return ErrnoStatus(absl::StrCat("chown ", instance->root_dir_));
  }

  Runner runner = MakeRunner(instance->root_dir_);
  std::vector<std::string> initdb = {instance->bin_dir_ + "/initdb",
                                     "-D",
                                     instance->data_dir_,
                                     "--auth=trust",
                                     "-U",
                                     kSuperuser,
                                     "--no-sync",
                                     "--encoding=UTF8",
                                     "--locale=" + PickLocale()};
  absl::StatusOr<CommandResult> result = runner.Run(initdb);
  if (!result.ok()) return result.status();
  if (result->exit_code != 0) {
    return absl::InternalError(absl::StrCat("initdb failed in ",
                                            instance->root_dir_, ": ",
                                            Describe(initdb, *result)));
  }

  absl::Status status;
  for (int attempt = 0; attempt < kStartAttempts; ++attempt) {
    absl::StatusOr<int> port = PickFreePort();
    if (!port.ok()) return port.status();
    instance->port_ = *port;
    std::uintmax_t log_offset = FileSize(instance->root_dir_ + "/log");
    status = instance->Resume();
    if (status.ok()) return instance;
    // Only a lost race for the port is worth another try.
    std::ifstream log(instance->root_dir_ + "/log");
    log.seekg(static_cast<std::streamoff>(log_offset));
    std::string fresh((std::istreambuf_iterator<char>(log)),
                      std::istreambuf_iterator<char>());
    if (!absl::StrContains(fresh, "could not bind") &&
        !absl::StrContains(fresh, "Address already in use")) {
      break;
    }
  }
  return status;
}

PostgresInstance::~PostgresInstance() {
  if (running_) {
    // Immediate: the data is thrown away, so there is nothing to flush.
    Runner runner = MakeRunner(root_dir_);
    (void)runner.Run({bin_dir_ + "/pg_ctl", "-D", data_dir_, "-w", "-t", "60",
                      "stop", "-m", "immediate"});
    running_ = false;
  }
  if (!root_dir_.empty()) {
    std::error_code ignored;
    std::filesystem::remove_all(root_dir_, ignored);
  }
}

std::string PostgresInstance::ConnectionString(std::string_view database,
                                               std::string_view user) const {
  return absl::StrCat("host=", kHost, " port=", port_,
                      " user=", ConninfoQuote(user),
                      " dbname=", ConninfoQuote(database));
}

std::string PostgresInstance::ConnectionUri(std::string_view database,
                                            std::string_view user) const {
  return absl::StrCat("postgresql://", PercentEncode(user), "@", kHost, ":",
                      port_, "/", PercentEncode(database));
}

absl::Status PostgresInstance::CreateDatabase(std::string_view name) {
  return Query("postgres",
               absl::StrCat("CREATE DATABASE ", QuoteIdentifier(name)))
      .status();
}

absl::StatusOr<std::string> PostgresInstance::Query(std::string_view database,
                                                    std::string_view sql) {
  // Arguments travel as C strings; a NUL would silently cut the statement.
  if (sql.find('\0') != std::string_view::npos ||
      database.find('\0') != std::string_view::npos) {
    return absl::InvalidArgumentError("SQL or database name contains NUL");
  }
  // -q drops command tags such as "INSERT 0 1", leaving only tuples.
  std::vector<std::string> psql = {bin_dir_ + "/psql",
                                   "-h",
                                   kHost,
                                   "-p",
                                   absl::StrCat(port_),
                                   "-U",
                                   kSuperuser,
                                   "-d",
                                   std::string(database),
                                   "-X",
                                   "-q",
                                   "-A",
                                   "-t",
                                   "-v",
                                   "ON_ERROR_STOP=1",
                                   "-c",
                                   std::string(sql)};
  absl::StatusOr<CommandResult> result = MakeRunner(root_dir_).Run(psql);
  if (!result.ok()) return result.status();
  switch (result->exit_code) {
    case 0:
      break;
    case 2:
      // psql's exit code for a failed connection: the server is down.
      return absl::UnavailableError(absl::StrCat(
          "psql could not connect on port ", port_, ": ", result->err,
          "\nserver log:\n", LogTail(root_dir_ + "/log")));
    default:
      return absl::InternalError(absl::StrCat("psql failed (exit ",
                                              result->exit_code,
                                              ") running SQL: ", result->err));
  }
  std::string out = std::move(result->out);
  if (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

absl::Status PostgresInstance::Pause() {
  if (!running_) return absl::OkStatus();
  std::vector<std::string> stop = {bin_dir_ + "/pg_ctl",
                                   "-D",
                                   data_dir_,
                                   "-w",
                                   "-t",
                                   "60",
                                   "stop",
                                   "-m",
                                   "fast"};
  absl::Status stopped = RunPgCtl(MakeRunner(root_dir_), stop, root_dir_);
  if (!stopped.ok()) return stopped;
  running_ = false;
  return absl::OkStatus();
}

absl::Status PostgresInstance::Resume() {
  if (running_) return absl::OkStatus();
  // pg_ctl leaves the postmaster orphaned. As a subreaper this process
  // becomes its parent, so a killed postmaster can be reaped here: a zombie
  // left to an init that does not reap (as in many containers) keeps its pid
  // alive, and the next postmaster would refuse to start.
  prctl(PR_SET_CHILD_SUBREAPER, 1);
  // Only TCP on loopback, plus a private socket folder so parallel instances
  // never share a lock file. Durability is pointless for throwaway data,
  // unless a test is about it. Room for a test whose server keeps a hundred
  // calls in the database at once.
  std::string options = absl::StrCat(
      "-p ", port_, " -c listen_addresses=", kHost,
      " -c max_connections=200 -k ", ShellQuote(root_dir_),
      durability_ == Durability::kOff
          ? " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
          : "");
  std::vector<std::string> start = {bin_dir_ + "/pg_ctl",
                                    "-D",
                                    data_dir_,
                                    "-w",
                                    "-t",
                                    "60",
                                    "-o",
                                    options,
                                    "-l",
                                    root_dir_ + "/log",
                                    "start"};
  absl::StatusOr<CommandResult> result = MakeRunner(root_dir_).Run(start);
  if (!result.ok()) return result.status();
  if (result->exit_code != 0) {
    absl::Status error = absl::UnavailableError(
        absl::StrCat(Describe(start, *result), "\nserver log:\n",
                     LogTail(root_dir_ + "/log")));
    // pg_ctl also fails when its wait times out with the postmaster still
    // starting; make sure no server is left behind that nobody will stop.
    (void)MakeRunner(root_dir_).Run({bin_dir_ + "/pg_ctl", "-D", data_dir_,
                                     "-w", "-t", "60", "stop", "-m",
                                     "immediate"});
    return error;
  }
  running_ = true;
  return absl::OkStatus();
}

absl::Status PostgresInstance::Restart() {
  std::vector<std::string> restart = {
      bin_dir_ + "/pg_ctl", "-D",      data_dir_, "-w",  "-t", "60", "-l",
      root_dir_ + "/log",   "restart", "-m",      "fast"};
  // Whatever happened, the state is pg_ctl's to tell; a failed restart
  // leaves the server stopped.
  absl::Status restarted = RunPgCtl(MakeRunner(root_dir_), restart, root_dir_);
  running_ = restarted.ok();
  return restarted;
}

absl::Status PostgresInstance::KillPostmaster() {
  if (!running_) return absl::FailedPreconditionError("not running");
  // The first line of postmaster.pid is the postmaster's pid.
  std::ifstream pid_file(data_dir_ + "/postmaster.pid");
  int postmaster = 0;
  if (!(pid_file >> postmaster) || postmaster <= 0) {
    return absl::InternalError("cannot read postmaster.pid");
  }
  // Found before the kill: once orphaned they are no longer its children.
  std::vector<pid_t> children = ChildrenOf(postmaster);
  if (kill(postmaster, SIGKILL) != 0) {
    return ErrnoStatus(absl::StrCat("kill -9 ", postmaster));
  }
  running_ = false;
  // Backends notice the postmaster's death and exit; a new postmaster
  // refuses to start while any of them still holds the shared memory.
  const absl::Time deadline = absl::Now() + absl::Seconds(30);
  absl::Status gone = AwaitExit(postmaster, deadline);
  for (pid_t child : children) {
    if (!gone.ok()) break;
    gone = AwaitExit(child, deadline);
  }
  // Reaped, as their subreaper (see Resume); ECHILD for any that is not
  // ours is fine.
  for (pid_t pid : children) waitpid(pid, nullptr, WNOHANG);
  waitpid(postmaster, nullptr, WNOHANG);
  return gone;
}

}  // namespace comments::testing
