#include "client/lib/call_support.h"

#include <algorithm>
#include <random>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "google/rpc/status.pb.h"

namespace comments::client {

absl::Status FromGrpcStatus(const grpc::Status& status) {
  if (status.ok()) return absl::OkStatus();
  absl::Status result(static_cast<absl::StatusCode>(status.error_code()),
                      status.error_message());
  google::rpc::Status details;
  if (!status.error_details().empty() &&
      details.ParseFromString(status.error_details())) {
    for (const google::protobuf::Any& any : details.details()) {
      result.SetPayload(any.type_url(), absl::Cord(any.value()));
    }
  }
  return result;
}

absl::Status CallWithRetry(
    const CallOptions& options, bool idempotent,
    const std::function<grpc::Status(grpc::ClientContext&)>& attempt) {
  const absl::Time deadline = absl::Now() + options.timeout;
  absl::Duration backoff = options.initial_backoff;
  // Jitter keeps many clients that failed together from retrying together.
  thread_local std::mt19937_64 random{std::random_device{}()};
  for (int attempts = 1;; ++attempts) {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(deadline));
    if (!options.bearer_token.empty()) {
      context.AddMetadata("authorization",
                          absl::StrCat("Bearer ", options.bearer_token));
    }
    absl::Status status = FromGrpcStatus(attempt(context));
    if (status.code() != absl::StatusCode::kUnavailable || !idempotent ||
        attempts >= options.max_attempts) {
      return status;
    }
    std::uniform_real_distribution<double> jitter(0.5, 1.0);
    const absl::Duration pause = backoff * jitter(random);
    if (absl::Now() + pause >= deadline) return status;
    absl::SleepFor(pause);
    backoff = std::min(backoff * 2, options.max_backoff);
  }
}

}  // namespace comments::client
