// The moderation queue in two numbers, for the operators' metrics: how many
// comments wait, and how long the oldest has waited. Both come from the
// database, ages by its clock, so every replica reports the same.
#ifndef COMMENTS_SERVICE_STORAGE_QUEUE_SUMMARY_H_
#define COMMENTS_SERVICE_STORAGE_QUEUE_SUMMARY_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace comments::storage {

struct QueueSummary {
  int64_t pending = 0;
  // Since the oldest PENDING comment was created; zero for an empty queue.
  absl::Duration oldest_pending_age;
};

class QueueSummaryReader {
 public:
  virtual ~QueueSummaryReader() = default;
  virtual absl::StatusOr<QueueSummary> ReadQueueSummary(
      absl::Time deadline) = 0;
};

}  // namespace comments::storage

#endif  // COMMENTS_SERVICE_STORAGE_QUEUE_SUMMARY_H_
