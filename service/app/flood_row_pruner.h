// Forgets flood-control rows that can no longer limit anyone
// (domain::ForgetAfter), as a periodic background task of each replica: off
// the request path, with its own deadline. The table stays small however
// many networks and mailboxes ever posted.
#ifndef COMMENTS_SERVICE_APP_FLOOD_ROW_PRUNER_H_
#define COMMENTS_SERVICE_APP_FLOOD_ROW_PRUNER_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "service/common/clock.h"
#include "service/common/periodic_task.h"
#include "service/domain/flood_control.h"
#include "service/storage/submission_store.h"

namespace comments::app {

struct FloodRowPrunerOptions {
  domain::FloodPolicy flood;
  // Time between two prunes; the first runs when the task starts.
  absl::Duration every = absl::Minutes(1);
  // Bound on one prune's database work; also how long Stop may wait for a
  // prune under way.
  absl::Duration timeout = absl::Seconds(2);
  // Enough for a busy site between two prunes; more waits for the next one.
  int max_rows = 5000;
};

class FloodRowPruner {
 public:
  // `store` and `clock` are not owned and must outlive the pruner.
  FloodRowPruner(storage::SubmissionStore* store, const Clock* clock,
                 FloodRowPrunerOptions options);
  ~FloodRowPruner();  // Stops.

  FloodRowPruner(const FloodRowPruner&) = delete;
  FloodRowPruner& operator=(const FloodRowPruner&) = delete;

  // Starts the background thread, which prunes at once and then every
  // options.every until Stop. At most once.
  void Start();

  // Ends the thread: returns as soon as a prune under way has finished (at
  // most its timeout), without waiting for the next interval. Idempotent.
  void Stop();

  // One prune, now, with its own deadline: rows idle since before
  // clock.Now() - ForgetAfter(flood). Returns the rows deleted. A failure is
  // logged by its code only (a database message may quote data) and
  // returned; the next interval tries again.
  absl::StatusOr<int64_t> RunOnce();

 private:
  storage::SubmissionStore* store_;
  const Clock* clock_;
  const FloodRowPrunerOptions options_;
  PeriodicTask task_;
};

}  // namespace comments::app

#endif  // COMMENTS_SERVICE_APP_FLOOD_ROW_PRUNER_H_
