// ModerationRepository on PostgreSQL.
#ifndef COMMENTS_SERVICE_STORAGE_PG_MODERATION_REPOSITORY_H_
#define COMMENTS_SERVICE_STORAGE_PG_MODERATION_REPOSITORY_H_

#include <string>
#include <utility>
#include <vector>

#include "service/storage/connection_pool.h"
#include "service/storage/moderation_repository.h"

namespace comments::storage {

class PgModerationRepository final : public ModerationRepository {
 public:
  explicit PgModerationRepository(ConnectionPool* pool) : pool_(pool) {}

  absl::StatusOr<QueuePage> ListQueue(const QueueQuery& query,
                                      absl::Time deadline) override;
  absl::StatusOr<ModeratedRecord> Get(std::string_view id,
                                      std::string_view thread,
                                      absl::Time deadline) override;
  absl::StatusOr<ModeratedRecord> Apply(const Transition& transition,
                                        absl::Time deadline) override;
  absl::StatusOr<std::vector<absl::StatusOr<ModeratedRecord>>> ApplyBatch(
      const std::vector<Transition>& transitions, absl::Time deadline) override;
  absl::StatusOr<std::vector<ModerationEventRecord>> ListEvents(
      std::string_view comment_id, std::string_view thread, int64_t after_id,
      int limit, absl::Time deadline) override;
  absl::StatusOr<int64_t> Erase(const Erasure& erasure,
                                absl::Time deadline) override;

 private:
  ConnectionPool* pool_;  // not owned
};

}  // namespace comments::storage

#endif  // COMMENTS_SERVICE_STORAGE_PG_MODERATION_REPOSITORY_H_
