// Storage of comments, as the public API needs it. The PostgreSQL
// implementation is PgCommentRepository; the interface keeps the handlers
// free of libpqxx.
#ifndef COMMENTS_SERVICE_STORAGE_COMMENT_REPOSITORY_H_
#define COMMENTS_SERVICE_STORAGE_COMMENT_REPOSITORY_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "service/storage/comment_record.h"

namespace comments::storage {

// Records several readers may hold at once; nobody changes them.
using SharedRecords = std::shared_ptr<const std::vector<CommentRecord>>;

struct CreateResult {
  CommentRecord comment;
  // False when a comment with the same request_id and fingerprint already
  // existed and is returned instead of inserting a duplicate.
  bool created = true;
};

class CommentRepository {
 public:
  virtual ~CommentRepository() = default;

  // Inserts `comment`. With a request_id already used: the stored comment
  // when the fingerprint matches, else ALREADY_EXISTS (reason
  // kRequestIdReused, no message). With comment.admission set, its
  // flood-control and duplicate checks run first, in the same transaction
  // (admission.h).
  virtual absl::StatusOr<CreateResult> Create(const NewComment& comment,
                                              absl::Time deadline) = 0;

  // Any state; NOT_FOUND when there is no such comment.
  virtual absl::StatusOr<CommentRecord> Get(std::string_view id,
                                            absl::Time deadline) = 0;

  // Up to `limit` APPROVED comments of `thread` with seq > `after_seq`, in
  // seq order. Only the public fields are read (the moderator-only ones are
  // left empty): this is what public pages show.
  virtual absl::StatusOr<std::vector<CommentRecord>> ListApproved(
      std::string_view thread, int64_t after_seq, int limit,
      absl::Time deadline) = 0;

  // ListApproved's result as it may be shared, so that a cached page is
  // handed out without a copy (caching_comment_repository.h); by default a
  // copy of ListApproved's.
  virtual absl::StatusOr<SharedRecords> ListApprovedShared(
      std::string_view thread, int64_t after_seq, int limit,
      absl::Time deadline) {
    absl::StatusOr<std::vector<CommentRecord>> records =
        ListApproved(thread, after_seq, limit, deadline);
    if (!records.ok()) return records.status();
    return std::make_shared<const std::vector<CommentRecord>>(
        *std::move(records));
  }

  // APPROVED counts, one per thread, in the order given.
  virtual absl::StatusOr<std::vector<int64_t>> CountApproved(
      const std::vector<std::string>& threads, absl::Time deadline) = 0;

  // Whether comment `id` exists in `thread` and is APPROVED.
  virtual absl::StatusOr<bool> IsApprovedInThread(std::string_view id,
                                                  std::string_view thread,
                                                  absl::Time deadline) = 0;
};

}  // namespace comments::storage

#endif  // COMMENTS_SERVICE_STORAGE_COMMENT_REPOSITORY_H_
