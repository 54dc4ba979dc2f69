// The calls the load generator makes, one kind per mode. Comment calls go
// through the client library as a web frontend's would; the health check
// uses the generated grpc.health.v1 stub (the library does not wrap it).
#ifndef COMMENTS_BENCH_CALLERS_H_
#define COMMENTS_BENCH_CALLERS_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/time/time.h"
#include "bench/load_runner.h"
#include "bench/thread_set.h"
#include "client/lib/call_support.h"
#include "grpcpp/channel.h"

namespace comments::bench {

struct CreateShape {
  // Each call picks one of these threads at random.
  ThreadSet threads = ThreadSet::Single("bench");
  // When set, every call names a public IPv4 address of its own in
  // x-forwarded-for (client_addresses.h), as a trusted proxy would for its
  // readers; `callers` is the run's concurrency.
  bool distinct_client_ips = false;
  int callers = 1;
};

// CreateComment on a thread of `shape.threads`. Every call submits a
// comment no other call of any run has sent (the email and body carry
// `run_id`, `caller` and a sequence number), so no duplicate or
// returning-author rule can change what is measured.
Call MakeCreateCall(std::shared_ptr<grpc::Channel> channel,
                    const client::CallOptions& options,
                    const CreateShape& shape, const std::string& run_id,
                    int caller);

// ListComments of a thread of `threads` picked at random per call, first
// page of `page_size`. A page with fewer than `page_size` comments fails as
// "SHORT_PAGE", so that a thread without enough approved comments cannot
// pass for a fast list.
Call MakeListCall(std::shared_ptr<grpc::Channel> channel,
                  const client::CallOptions& options, const ThreadSet& threads,
                  int page_size);

// CountComments of `parents` threads of `threads` (distinct while the set is
// large enough), picked at random per call. An answer without one count per
// parent, or with a count below `min_approved`, fails as "WRONG_COUNT".
Call MakeCountCall(std::shared_ptr<grpc::Channel> channel,
                   const client::CallOptions& options, const ThreadSet& threads,
                   int parents, int64_t min_approved);

// grpc.health.v1.Health/Check of the whole server; an answer other than
// SERVING fails as "NOT_SERVING".
Call MakeHealthCall(std::shared_ptr<grpc::Channel> channel,
                    absl::Duration timeout);

// Eight random hex digits that tell one run's comments from another's.
std::string NewRunId();

}  // namespace comments::bench

#endif  // COMMENTS_BENCH_CALLERS_H_
