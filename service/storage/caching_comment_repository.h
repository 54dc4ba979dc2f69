// A CommentRepository that answers the public reads (ListApproved,
// CountApproved) from a PublicReadCache when it can, and from the
// repository it wraps otherwise, filling the cache. Everything else goes
// straight through.
#ifndef COMMENTS_SERVICE_STORAGE_CACHING_COMMENT_REPOSITORY_H_
#define COMMENTS_SERVICE_STORAGE_CACHING_COMMENT_REPOSITORY_H_

#include <string>
#include <vector>

#include "service/storage/comment_repository.h"
#include "service/storage/public_read_cache.h"

namespace comments::storage {

class CachingCommentRepository final : public CommentRepository {
 public:
  // Neither is owned; both must outlive this.
  CachingCommentRepository(CommentRepository* repository,
                           PublicReadCache* cache)
      : repository_(repository), cache_(cache) {}

  absl::StatusOr<CreateResult> Create(const NewComment& comment,
                                      absl::Time deadline) override {
    return repository_->Create(comment, deadline);
  }
  absl::StatusOr<CommentRecord> Get(std::string_view id,
                                    absl::Time deadline) override {
    return repository_->Get(id, deadline);
  }
  absl::StatusOr<std::vector<CommentRecord>> ListApproved(
      std::string_view thread, int64_t after_seq, int limit,
      absl::Time deadline) override;
  absl::StatusOr<SharedRecords> ListApprovedShared(
      std::string_view thread, int64_t after_seq, int limit,
      absl::Time deadline) override;
  absl::StatusOr<std::vector<int64_t>> CountApproved(
      const std::vector<std::string>& threads, absl::Time deadline) override;
  absl::StatusOr<bool> IsApprovedInThread(std::string_view id,
                                          std::string_view thread,
                                          absl::Time deadline) override {
    return repository_->IsApprovedInThread(id, thread, deadline);
  }

 private:
  CommentRepository* repository_;
  PublicReadCache* cache_;
};

}  // namespace comments::storage

#endif  // COMMENTS_SERVICE_STORAGE_CACHING_COMMENT_REPOSITORY_H_
