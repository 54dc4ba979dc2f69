// A comment entering or leaving the moderation queue, as the notify trigger
// of migration 0002 announces it on the comment_queue channel.
#ifndef COMMENTS_SERVICE_STORAGE_QUEUE_CHANGE_H_
#define COMMENTS_SERVICE_STORAGE_QUEUE_CHANGE_H_

#include <optional>
#include <string>
#include <string_view>

#include "absl/time/time.h"
#include "service/domain/comment_state.h"

namespace comments::storage {

// The PostgreSQL channel every replica listens on.
inline constexpr char kQueueChannel[] = "comment_queue";

struct QueueChange {
  enum class Kind { kEntered, kLeft };
  Kind kind = Kind::kEntered;
  std::string comment_id;
  std::string thread;
  // The state after the change; nullopt when the comment was deleted.
  std::optional<domain::CommentState> state;
  // The moderator who made the change, or "auto".
  std::string actor;
  absl::Time time;  // the changing transaction's time
};

// Parses a notification payload; nullopt when it is not one the trigger
// writes.
std::optional<QueueChange> ParseQueueNotification(std::string_view payload);

}  // namespace comments::storage

#endif  // COMMENTS_SERVICE_STORAGE_QUEUE_CHANGE_H_
