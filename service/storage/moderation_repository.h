// Storage of moderation: the queue, transitions with their audit rows, the
// audit trail and author erasure. PgModerationRepository implements it on
// PostgreSQL; the interface keeps the handlers free of libpqxx.
#ifndef COMMENTS_SERVICE_STORAGE_MODERATION_REPOSITORY_H_
#define COMMENTS_SERVICE_STORAGE_MODERATION_REPOSITORY_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "service/storage/moderation_record.h"

namespace comments::storage {

class ModerationRepository {
 public:
  virtual ~ModerationRepository() = default;

  // Comments in `query.state` (of `query.thread` when set), oldest first,
  // each with its history, and how many match in all.
  virtual absl::StatusOr<QueuePage> ListQueue(const QueueQuery& query,
                                              absl::Time deadline) = 0;

  // Any state; NOT_FOUND unless comment `id` exists in `thread`.
  virtual absl::StatusOr<ModeratedRecord> Get(std::string_view id,
                                              std::string_view thread,
                                              absl::Time deadline) = 0;

  // Applies the transition and records its audit row in one transaction,
  // and returns the comment afterwards with its history. NOT_FOUND for no
  // such comment; ABORTED when expected_version is stale; FAILED_PRECONDITION
  // when the table in domain/moderation.h forbids it. Nothing is written
  // unless it succeeds. The row is locked while deciding, so of two racing
  // transitions on one comment the second sees the first's result.
  virtual absl::StatusOr<ModeratedRecord> Apply(const Transition& transition,
                                                absl::Time deadline) = 0;

  // Applies many transitions in one transaction and returns one result per
  // transition, in order: the comment afterwards with its history, or why
  // that one was not changed (as Apply; its failure writes nothing for it
  // and changes nothing else). A later transition of the same comment sees
  // the earlier one's result. Rows are locked in one global order (by id),
  // whatever the order of `transitions`, so concurrent batches over
  // overlapping comments never deadlock. An error of the transaction itself
  // (database unavailable, deadline) is the returned status: nothing was
  // written.
  virtual absl::StatusOr<std::vector<absl::StatusOr<ModeratedRecord>>>
  ApplyBatch(const std::vector<Transition>& transitions,
             absl::Time deadline) = 0;

  // Audit rows with id > `after_id`, oldest first; of one comment (in
  // `thread`) when `comment_id` is set, even if it has since been deleted.
  virtual absl::StatusOr<std::vector<ModerationEventRecord>> ListEvents(
      std::string_view comment_id, std::string_view thread, int64_t after_id,
      int limit, absl::Time deadline) = 0;

  // Anonymises or deletes every comment with this email hash, records one
  // ERASE audit row (with the count, never the address or its hash), and
  // returns how many comments changed: 0 when repeated.
  virtual absl::StatusOr<int64_t> Erase(const Erasure& erasure,
                                        absl::Time deadline) = 0;
};

}  // namespace comments::storage

#endif  // COMMENTS_SERVICE_STORAGE_MODERATION_REPOSITORY_H_
