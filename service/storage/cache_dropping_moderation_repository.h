// A ModerationRepository that drops what the public read cache of this
// server holds of the threads it changed, as soon as the change has
// committed: a moderator who approves a comment and reloads the page
// through the same server sees it without waiting for the notification
// (which every server, this one included, still receives). An erasure,
// whose threads are not known here, drops everything.
#ifndef COMMENTS_SERVICE_STORAGE_CACHE_DROPPING_MODERATION_REPOSITORY_H_
#define COMMENTS_SERVICE_STORAGE_CACHE_DROPPING_MODERATION_REPOSITORY_H_

#include <vector>

#include "service/storage/moderation_repository.h"
#include "service/storage/public_read_cache.h"

namespace comments::storage {

class CacheDroppingModerationRepository final : public ModerationRepository {
 public:
  // Neither is owned; both must outlive this.
  CacheDroppingModerationRepository(ModerationRepository* repository,
                                    PublicReadCache* cache)
      : repository_(repository), cache_(cache) {}

  absl::StatusOr<QueuePage> ListQueue(const QueueQuery& query,
                                      absl::Time deadline) override {
    return repository_->ListQueue(query, deadline);
  }
  absl::StatusOr<ModeratedRecord> Get(std::string_view id,
                                      std::string_view thread,
                                      absl::Time deadline) override {
    return repository_->Get(id, thread, deadline);
  }
  absl::StatusOr<ModeratedRecord> Apply(const Transition& transition,
                                        absl::Time deadline) override;
  absl::StatusOr<std::vector<absl::StatusOr<ModeratedRecord>>> ApplyBatch(
      const std::vector<Transition>& transitions, absl::Time deadline) override;
  absl::StatusOr<std::vector<ModerationEventRecord>> ListEvents(
      std::string_view comment_id, std::string_view thread, int64_t after_id,
      int limit, absl::Time deadline) override {
    return repository_->ListEvents(comment_id, thread, after_id, limit,
                                   deadline);
  }
  absl::StatusOr<int64_t> Erase(const Erasure& erasure,
                                absl::Time deadline) override;

 private:
  ModerationRepository* repository_;
  PublicReadCache* cache_;
};

}  // namespace comments::storage

#endif  // COMMENTS_SERVICE_STORAGE_CACHE_DROPPING_MODERATION_REPOSITORY_H_
