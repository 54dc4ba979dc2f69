#include "bench/process_cpu.h"

#include <dirent.h>
#include <sys/resource.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>

#include "absl/strings/numbers.h"

namespace comments::bench {
namespace {

struct ProcStat {
  pid_t parent = 0;
  double cpu_seconds = 0;
  // Of its children that exited and were waited for.
  double reaped_children_cpu_seconds = 0;
};

// /proc/<pid>/stat: "pid (comm) state ppid ... utime stime ...". The
// command may hold spaces and parentheses, so fields are counted from the
// last ')'.
std::optional<ProcStat> ReadProcStat(pid_t pid) {
  std::ifstream file("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(file, line)) return std::nullopt;
  const size_t end_of_command = line.rfind(')');
  if (end_of_command == std::string::npos) return std::nullopt;
  std::istringstream fields(line.substr(end_of_command + 1));
  // After the command: state(3) ppid(4) ... utime(14) stime(15) cutime(16)
  // cstime(17).
  std::string state;
  long long parent = 0;
  fields >> state >> parent;
  std::string skipped;
  for (int field = 5; field < 14; ++field) fields >> skipped;
  unsigned long long user_ticks = 0;
  unsigned long long system_ticks = 0;
  fields >> user_ticks >> system_ticks;
  if (!fields) return std::nullopt;
  static const double kTicksPerSecond =
      static_cast<double>(sysconf(_SC_CLK_TCK));
  return ProcStat{
      static_cast<pid_t>(parent),
      static_cast<double>(user_ticks + system_ticks) / kTicksPerSecond};
}

double Seconds(const timeval& t) {
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
}

}  // namespace

double OwnCpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return Seconds(usage.ru_utime) + Seconds(usage.ru_stime);
}

std::optional<double> ProcessCpuSeconds(pid_t pid, bool with_children) {
  const std::optional<ProcStat> own = ReadProcStat(pid);
  if (!own.has_value()) return std::nullopt;
  double total = own->cpu_seconds;
  if (!with_children) return total;
  // Children that exited (backends of closed connections) count through
  // their parent.
  total += own->reaped_children_cpu_seconds;
  DIR* proc = opendir("/proc");
  if (proc == nullptr) return total;
  while (const dirent* entry = readdir(proc)) {
    pid_t child = 0;
    if (!absl::SimpleAtoi(entry->d_name, &child) || child == pid) continue;
    const std::optional<ProcStat> stat = ReadProcStat(child);
    if (stat.has_value() && stat->parent == pid) total += stat->cpu_seconds;
  }
  closedir(proc);
  return total;
}

}  // namespace comments::bench
