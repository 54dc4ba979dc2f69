// What the moderation repositories read and write, free of libpqxx.
#ifndef COMMENTS_SERVICE_STORAGE_MODERATION_RECORD_H_
#define COMMENTS_SERVICE_STORAGE_MODERATION_RECORD_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "service/domain/comment_state.h"
#include "service/domain/moderation.h"
#include "service/storage/comment_record.h"

namespace comments::storage {

// One row of the audit trail.
struct ModerationEventRecord {
  int64_t id = 0;          // insertion order; the page-token position
  std::string comment_id;  // empty for an erasure
  std::string thread;      // empty for an erasure
  std::string moderator;
  domain::ModerationAction action = domain::ModerationAction::kApprove;
  std::optional<domain::CommentState> from_state;
  std::optional<domain::CommentState> to_state;
  std::string reason;
  absl::Time create_time;
};

// A comment with its audit trail, oldest event first.
struct ModeratedRecord {
  CommentRecord comment;
  std::vector<ModerationEventRecord> history;
};

// One moderator's decision on one comment.
struct Transition {
  std::string comment_id;
  std::string thread;  // the comment must be in this thread, or NOT_FOUND
  domain::ModerationAction action = domain::ModerationAction::kApprove;
  std::string moderator;  // from the authenticated token, never the request
  std::string reason;
  // When set, the transition happens only at this version (the etag).
  std::optional<int64_t> expected_version;
};

// One page of the moderation queue.
struct QueueQuery {
  domain::CommentState state = domain::CommentState::kPending;
  std::string thread;  // empty for every thread
  int64_t after_seq = 0;
  int limit = 20;
};

struct QueuePage {
  std::vector<ModeratedRecord> comments;
  int64_t total_size = 0;  // comments matching state and thread, all pages
};

struct Erasure {
  // Keyed hashes of the normalised address under every hash key, so that
  // comments stored before a key rotation are erased too.
  std::vector<std::string> email_hashes;
  // The keys of the address's flood-control rows (submission_limits),
  // likewise under every hash key: forgotten in the same transaction.
  std::vector<std::string> limit_keys;
  bool delete_comments = false;
  std::string moderator;
};

// A moderator account. The token hash never leaves the repository.
struct ModeratorRecord {
  std::string name;
  absl::Time create_time;
  std::optional<absl::Time> revoke_time;
};

}  // namespace comments::storage

#endif  // COMMENTS_SERVICE_STORAGE_MODERATION_RECORD_H_
