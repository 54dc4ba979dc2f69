// What the submission use case (app/submit_comment.h) and the flood-row
// pruner (app/flood_row_pruner.h) read and tidy outside the insert's
// transaction. The PostgreSQL implementation is PgSubmissionStore.
#ifndef COMMENTS_SERVICE_STORAGE_SUBMISSION_STORE_H_
#define COMMENTS_SERVICE_STORAGE_SUBMISSION_STORE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace comments::storage {

class SubmissionStore {
 public:
  virtual ~SubmissionStore() = default;

  // APPROVED comments with one of these email hashes (the address under
  // every hash key) and exactly this author name.
  virtual absl::StatusOr<int64_t> CountApprovedByAuthor(
      const std::vector<std::string>& email_hashes,
      std::string_view author_name, absl::Time deadline) = 0;

  // Deletes up to `max_rows` flood-control rows whose last accepted comment
  // is older than `idle_before`; returns how many it deleted.
  virtual absl::StatusOr<int64_t> PruneLimits(absl::Time idle_before,
                                              int max_rows,
                                              absl::Time deadline) = 0;
};

}  // namespace comments::storage

#endif  // COMMENTS_SERVICE_STORAGE_SUBMISSION_STORE_H_
