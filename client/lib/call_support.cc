#include "client/lib/call_support.h"

#include <algorithm>
#include <random>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "client/lib/error_details.h"
#include "google/rpc/status.pb.h"

namespace comments::client {

namespace {

void AttachDetails(const google::rpc::Status& details, absl::Status& status) {
  for (const google::protobuf::Any& any : details.details()) {
    status.SetPayload(any.type_url(), absl::Cord(any.value()));
  }
}

}  // namespace

absl::Status FromGrpcStatus(const grpc::Status& status) {
  if (status.ok()) return absl::OkStatus();
  absl::Status result(static_cast<absl::StatusCode>(status.error_code()),
                      status.error_message());
  google::rpc::Status details;
  if (!status.error_details().empty() &&
      details.ParseFromString(status.error_details())) {
    AttachDetails(details, result);
  }
  return result;
}

absl::Status FromRpcStatus(const google::rpc::Status& status) {
  if (status.code() == 0) return absl::OkStatus();
  absl::Status result(static_cast<absl::StatusCode>(status.code()),
                      status.message());
  AttachDetails(status, result);
  return result;
}

void PrepareContext(const CallOptions& options, absl::Time deadline,
                    grpc::ClientContext& context) {
  if (deadline != absl::InfiniteFuture()) {
    context.set_deadline(absl::ToChronoTime(deadline));
  }
  if (!options.bearer_token.empty()) {
    context.AddMetadata("authorization",
                        absl::StrCat("Bearer ", options.bearer_token));
  }
  for (const auto& [key, value] : options.metadata) {
    context.AddMetadata(key, value);
  }
}

absl::Status CallWithRetry(
    const CallOptions& options, bool idempotent,
    const std::function<grpc::Status(grpc::ClientContext&)>& attempt,
    grpc::ChannelInterface* channel) {
  const absl::Time deadline = absl::Now() + options.timeout;
  absl::Duration backoff = options.initial_backoff;
  // Jitter keeps many clients that failed together from retrying together.
  thread_local std::mt19937_64 random{std::random_device{}()};
  for (int attempts = 1;; ++attempts) {
    grpc::ClientContext context;
    PrepareContext(options, deadline, context);
    absl::Status status = FromGrpcStatus(attempt(context));
    if (status.code() != absl::StatusCode::kUnavailable || !idempotent ||
        attempts >= options.max_attempts) {
      return status;
    }
    std::uniform_real_distribution<double> jitter(0.5, 1.0);
    const absl::Duration pause = std::max(
        backoff * jitter(random),
        GetErrorDetails(status).retry_delay.value_or(absl::ZeroDuration()));
    if (absl::Now() + pause >= deadline) return status;
    if (options.on_retry) options.on_retry(status, attempts, pause);
    const absl::Time resume = absl::Now() + pause;
    // Waiting on the channel drives its reconnection; the full pause is kept
    // even when it connects early, so a server that answers UNAVAILABLE
    // itself is not called again at once.
    if (channel != nullptr) {
      channel->WaitForConnected(absl::ToChronoTime(resume));
    }
    absl::SleepFor(resume - absl::Now());
    backoff = std::min(backoff * 2, options.max_backoff);
  }
}

}  // namespace comments::client
