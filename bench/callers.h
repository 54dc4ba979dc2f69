// The calls the load generator makes, one kind per mode. Comment calls go
// through the client library as a web frontend's would; the health check
// uses the generated grpc.health.v1 stub (the library does not wrap it).
#ifndef COMMENTS_BENCH_CALLERS_H_
#define COMMENTS_BENCH_CALLERS_H_

#include <memory>
#include <string>

#include "absl/time/time.h"
#include "bench/load_runner.h"
#include "client/lib/call_support.h"
#include "grpcpp/channel.h"

namespace comments::bench {

// CreateComment on threads/{thread}. Every call submits a comment no other
// call of any run has sent (the email and body carry `run_id`, `caller` and a
// sequence number), so no duplicate or returning-author rule can change what
// is measured.
Call MakeCreateCall(std::shared_ptr<grpc::Channel> channel,
                    const client::CallOptions& options,
                    const std::string& thread, const std::string& run_id,
                    int caller);

// ListComments of threads/{thread}, first page of `page_size`. A page with
// fewer than `page_size` comments fails as "SHORT_PAGE", so that a thread
// without enough approved comments cannot pass for a fast list.
Call MakeListCall(std::shared_ptr<grpc::Channel> channel,
                  const client::CallOptions& options, const std::string& thread,
                  int page_size);

// grpc.health.v1.Health/Check of the whole server; an answer other than
// SERVING fails as "NOT_SERVING".
Call MakeHealthCall(std::shared_ptr<grpc::Channel> channel,
                    absl::Duration timeout);

// Eight random hex digits that tell one run's comments from another's.
std::string NewRunId();

}  // namespace comments::bench

#endif  // COMMENTS_BENCH_CALLERS_H_
