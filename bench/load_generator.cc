// comments_load: drives a running comments_server with concurrent callers
// for a fixed time and prints one JSON line with what it measured:
//
//   {"mode":"create","concurrency":32,"channels":32,"window_s":10,
//    "calls":5120,"ok":5120,"errors":{},"rps":512.0,
//    "p50_ms":55.1,"p99_ms":80.2,"max_ms":95.0,
//    "acknowledged":6300,"unmeasured_errors":0,"cpu_s":4.2}
//
// calls: calls completed in the window; rps: successful ones per second;
// latencies: every call in the window, failed ones included; acknowledged:
// successful calls of the whole run (warm-up included), what a create run
// must find stored; unmeasured_errors: failed calls outside the window;
// cpu_s: this process's user + system CPU seconds over the window (and
// server_cpu_s, postgres_cpu_s with --server_pid, --postgres_pid). Exit 0
// when the run completed (even with failed calls: they are in "errors"), 1
// on bad usage or an unreachable server, 3 when a caller hung past its
// deadline.
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "bench/callers.h"
#include "bench/latency_summary.h"
#include "bench/load_runner.h"
#include "bench/process_cpu.h"
#include "bench/thread_set.h"
#include "client/lib/call_support.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"

ABSL_FLAG(std::string, server, "127.0.0.1:50051", "host:port of the server");
ABSL_FLAG(std::string, mode, "", "create, list, count or health");
ABSL_FLAG(int, concurrency, 32, "callers making calls back to back");
ABSL_FLAG(int, channels, 0,
          "gRPC channels (each its own connection) the callers share round "
          "robin; 0 gives every caller its own, which measured as fast or "
          "faster than one shared channel (README, Benchmarks)");
ABSL_FLAG(double, duration_s, 10, "measured seconds, after the warm-up");
ABSL_FLAG(double, warmup_s, 2, "seconds of calls before measuring starts");
ABSL_FLAG(std::string, thread, "bench",
          "thread slug the calls address, unless --threads is set");
ABSL_FLAG(int, threads, 0,
          "when > 0, every call picks its thread(s) at random from "
          "<thread_prefix>0 .. <thread_prefix><threads - 1>");
ABSL_FLAG(std::string, thread_prefix, "bench-",
          "with --threads: the threads' common prefix");
ABSL_FLAG(int, page_size, 20,
          "list mode: page size; a shorter page counts as an error");
ABSL_FLAG(int, parents, 100,
          "count mode: threads counted per call (distinct while --threads "
          "has that many)");
ABSL_FLAG(int64_t, min_approved, 0,
          "count mode: a thread counted with fewer approved comments counts "
          "as an error");
ABSL_FLAG(bool, distinct_client_ips, false,
          "create mode: every call names a public IPv4 address of its own in "
          "x-forwarded-for, as a trusted proxy would (the server must trust "
          "this client's address as a proxy)");
ABSL_FLAG(int, server_pid, 0,
          "when set, the JSON has server_cpu_s: that process's CPU seconds "
          "over the window (from /proc)");
ABSL_FLAG(int, postgres_pid, 0,
          "when set, the JSON has postgres_cpu_s: that postmaster's and its "
          "backends' CPU seconds over the window (from /proc)");
ABSL_FLAG(int, call_timeout_ms, 5000, "deadline of every call");

namespace {

constexpr int kExitOk = 0;
constexpr int kExitUsage = 1;
constexpr int kExitHung = 3;

int Usage(const std::string& problem) {
  std::cerr << "comments_load: " << problem << "\n";
  return kExitUsage;
}

// Channels with identical arguments share one connection inside gRPC, so
// each channel gets its own subchannel pool to have a connection of its own.
std::shared_ptr<grpc::Channel> NewChannel(const std::string& server) {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  return grpc::CreateCustomChannel(server, grpc::InsecureChannelCredentials(),
                                   args);
}

// Seconds from `start` to `end`, to the millisecond a 2-core machine's CPU
// figures can resolve; null when either reading failed.
nlohmann::json CpuDelta(std::optional<double> start,
                        std::optional<double> end) {
  if (!start.has_value() || !end.has_value()) return nullptr;
  return std::round((*end - *start) * 1000.0) / 1000.0;
}

}  // namespace

int main(int argc, char** argv) {
  // As in the server: the packaged Abseil's lock-order recording would
  // charge the load generator's share of the CPUs the server competes for.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  absl::SetProgramUsageMessage(
      "Load generator for comments_server: --mode=create|list|count|health. "
      "Prints one JSON line with calls, errors by code, rps and latency "
      "percentiles.");
  const std::vector<char*> positional = absl::ParseCommandLine(argc, argv);
  if (positional.size() > 1) return Usage("unexpected positional arguments");

  const std::string mode = absl::GetFlag(FLAGS_mode);
  const std::string server = absl::GetFlag(FLAGS_server);
  const std::string thread = absl::GetFlag(FLAGS_thread);
  const int thread_count = absl::GetFlag(FLAGS_threads);
  const std::string thread_prefix = absl::GetFlag(FLAGS_thread_prefix);
  const int parents = absl::GetFlag(FLAGS_parents);
  const int64_t min_approved = absl::GetFlag(FLAGS_min_approved);
  const bool distinct_client_ips = absl::GetFlag(FLAGS_distinct_client_ips);
  const int concurrency = absl::GetFlag(FLAGS_concurrency);
  const int channels_flag = absl::GetFlag(FLAGS_channels);
  const int channel_count = channels_flag == 0 ? concurrency : channels_flag;
  const int page_size = absl::GetFlag(FLAGS_page_size);
  const double duration_s = absl::GetFlag(FLAGS_duration_s);
  const double warmup_s = absl::GetFlag(FLAGS_warmup_s);
  const int call_timeout_ms = absl::GetFlag(FLAGS_call_timeout_ms);
  if (mode != "create" && mode != "list" && mode != "count" &&
      mode != "health") {
    return Usage("--mode must be create, list, count or health");
  }
  if (concurrency < 1 || concurrency > 4096) {
    return Usage("--concurrency must be 1..4096");
  }
  if (channels_flag < 0 || channel_count > concurrency) {
    return Usage("--channels must be 0 (one per caller) or 1..concurrency");
  }
  // Bounds keep the run time bounded whatever is passed.
  if (!(duration_s > 0 && duration_s <= 3600)) {
    return Usage("--duration_s must be in (0, 3600]");
  }
  if (!(warmup_s >= 0 && warmup_s <= 600)) {
    return Usage("--warmup_s must be in [0, 600]");
  }
  if (call_timeout_ms < 1 || call_timeout_ms > 60000) {
    return Usage("--call_timeout_ms must be 1..60000");
  }
  if (mode == "list" && (page_size < 1 || page_size > 100)) {
    return Usage("--page_size must be 1..100");
  }
  if (server.empty() || thread.empty()) {
    return Usage("--server and --thread must not be empty");
  }
  if (thread_count < 0 || thread_count > 1000000) {
    return Usage("--threads must be 0..1000000");
  }
  if (thread_count > 0 && thread_prefix.empty()) {
    return Usage("--thread_prefix must not be empty");
  }
  // The service accepts 1-100 parents per CountComments.
  if (mode == "count" && (parents < 1 || parents > 100)) {
    return Usage("--parents must be 1..100");
  }
  if (min_approved < 0) return Usage("--min_approved must not be negative");
  if (absl::GetFlag(FLAGS_server_pid) < 0 ||
      absl::GetFlag(FLAGS_postgres_pid) < 0) {
    return Usage("--server_pid and --postgres_pid must not be negative");
  }
  if (distinct_client_ips && mode != "create") {
    return Usage("--distinct_client_ips is for --mode=create");
  }
  const comments::bench::ThreadSet threads =
      thread_count > 0
          ? comments::bench::ThreadSet::Numbered(thread_prefix, thread_count)
          : comments::bench::ThreadSet::Single(thread);

  comments::bench::LoadOptions options;
  options.concurrency = concurrency;
  options.duration = absl::Seconds(duration_s);
  options.warmup = absl::Seconds(warmup_s);
  options.call_timeout = absl::Milliseconds(call_timeout_ms);
  // CPU seconds at the window's edges: this process, the server and
  // PostgreSQL, each read only when asked for.
  struct CpuReadings {
    std::optional<double> own, server, postgres;
  };
  const pid_t server_pid = absl::GetFlag(FLAGS_server_pid);
  const pid_t postgres_pid = absl::GetFlag(FLAGS_postgres_pid);
  auto read_cpu = [server_pid, postgres_pid] {
    CpuReadings readings;
    readings.own = comments::bench::OwnCpuSeconds();
    if (server_pid > 0) {
      readings.server = comments::bench::ProcessCpuSeconds(server_pid, false);
    }
    if (postgres_pid > 0) {
      readings.postgres =
          comments::bench::ProcessCpuSeconds(postgres_pid, true);
    }
    return readings;
  };
  CpuReadings cpu_at_start;
  CpuReadings cpu_at_end;
  options.on_window_start = [&] { cpu_at_start = read_cpu(); };
  options.on_window_end = [&] { cpu_at_end = read_cpu(); };

  std::vector<std::shared_ptr<grpc::Channel>> channels;
  for (int i = 0; i < channel_count; ++i) {
    channels.push_back(NewChannel(server));
    // Connecting is not part of what is measured.
    if (!channels.back()->WaitForConnected(std::chrono::system_clock::now() +
                                           std::chrono::seconds(10))) {
      std::cerr << "comments_load: cannot connect to " << server << "\n";
      return kExitUsage;
    }
  }

  comments::client::CallOptions call_options;
  call_options.timeout = options.call_timeout;
  // No retries: a retried call would hide its failure and count its
  // attempts as one slow call.
  call_options.max_attempts = 1;
  const std::string run_id = comments::bench::NewRunId();

  auto make_call = [&](int index) -> comments::bench::Call {
    const std::shared_ptr<grpc::Channel>& channel =
        channels[index % channels.size()];
    if (mode == "create") {
      comments::bench::CreateShape shape;
      shape.threads = threads;
      shape.distinct_client_ips = distinct_client_ips;
      shape.callers = concurrency;
      return comments::bench::MakeCreateCall(channel, call_options, shape,
                                             run_id, index);
    }
    if (mode == "list") {
      return comments::bench::MakeListCall(channel, call_options, threads,
                                           page_size);
    }
    if (mode == "count") {
      return comments::bench::MakeCountCall(channel, call_options, threads,
                                            parents, min_approved);
    }
    return comments::bench::MakeHealthCall(channel, options.call_timeout);
  };

  auto records = comments::bench::RunLoad(options, make_call);
  if (!records.ok()) {
    std::cerr << "comments_load: " << records.status().message() << "\n";
    std::cerr.flush();
    // Hung callers still hold their threads; leave without destructors.
    std::_Exit(kExitHung);
  }
  const comments::bench::Summary summary =
      comments::bench::Summarize(*records, options.duration);
  nlohmann::json report = comments::bench::SummaryJson(
      mode, concurrency, channel_count, options.duration, summary);
  report["cpu_s"] = CpuDelta(cpu_at_start.own, cpu_at_end.own);
  if (server_pid > 0) {
    report["server_cpu_s"] = CpuDelta(cpu_at_start.server, cpu_at_end.server);
  }
  if (postgres_pid > 0) {
    report["postgres_cpu_s"] =
        CpuDelta(cpu_at_start.postgres, cpu_at_end.postgres);
  }
  std::cout << report.dump() << std::endl;
  return kExitOk;
}
