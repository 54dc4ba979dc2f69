#include "service/app/flood_row_pruner.h"

#include <utility>

#include "service/common/json_log.h"

namespace comments::app {

FloodRowPruner::FloodRowPruner(storage::SubmissionStore* store,
                               const Clock* clock,
                               FloodRowPrunerOptions options)
    : store_(store),
      clock_(clock),
      options_(std::move(options)),
      task_(options_.every, [this] { RunOnce().IgnoreError(); }) {}

FloodRowPruner::~FloodRowPruner() { Stop(); }

void FloodRowPruner::Start() { task_.Start(); }

void FloodRowPruner::Stop() { task_.Stop(); }

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

}  // namespace comments::app
