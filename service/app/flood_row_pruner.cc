#include "service/app/flood_row_pruner.h"

#include <utility>

#include "service/common/json_log.h"

namespace comments::app {

FloodRowPruner::FloodRowPruner(storage::SubmissionStore* store,
                               const Clock* clock,
                               FloodRowPrunerOptions options)
    : store_(store), clock_(clock), options_(std::move(options)) {}

FloodRowPruner::~FloodRowPruner() { Stop(); }

void FloodRowPruner::Start() {
  if (thread_.joinable()) return;
  thread_ = std::thread([this] { Loop(); });
}

void FloodRowPruner::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

absl::StatusOr<int64_t> FloodRowPruner::RunOnce() {
  const absl::Time now = clock_->Now();
  absl::StatusOr<int64_t> pruned =
      store_->PruneLimits(now - domain::ForgetAfter(options_.flood),
                          options_.max_rows, now + options_.timeout);
  if (!pruned.ok()) {
    log::Warning("flood-control pruning failed",
                 {{"code", absl::StatusCodeToString(pruned.status().code())}});
  } else if (*pruned > 0) {
    log::Debug("flood-control rows pruned", {{"rows", *pruned}});
  }
  return pruned;
}

void FloodRowPruner::Loop() {
  for (;;) {
    RunOnce().IgnoreError();
    absl::MutexLock lock(&mu_);
    // Wakes early, and ends, when Stop sets stopping_.
    if (mu_.AwaitWithTimeout(absl::Condition(&stopping_), options_.every)) {
      return;
    }
  }
}

}  // namespace comments::app
