// CPU time of processes, for the benchmark's per-phase CPU figures: this
// process (getrusage) and others on the same machine (/proc), such as the
// server and PostgreSQL's postmaster with its backends.
#ifndef COMMENTS_BENCH_PROCESS_CPU_H_
#define COMMENTS_BENCH_PROCESS_CPU_H_

#include <sys/types.h>

#include <optional>

namespace comments::bench {

// User + system CPU seconds this process has used so far, all threads.
double OwnCpuSeconds();

// User + system CPU seconds of process `pid` (all its threads), plus those
// of its child processes when `with_children` is set (PostgreSQL's backends
// are children of the postmaster): the live ones', and those of children
// that exited and were waited for. nullopt when `pid` is gone or
// unreadable.
std::optional<double> ProcessCpuSeconds(pid_t pid, bool with_children);

}  // namespace comments::bench

#endif  // COMMENTS_BENCH_PROCESS_CPU_H_
