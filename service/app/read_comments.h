// The public reads of comments (GetComment, ListComments, CountComments),
// without gRPC: what a reader may see is decided here, so that the handler
// only translates. Only APPROVED comments exist for the public.
#ifndef COMMENTS_SERVICE_APP_READ_COMMENTS_H_
#define COMMENTS_SERVICE_APP_READ_COMMENTS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "service/domain/page_token.h"
#include "service/storage/comment_record.h"
#include "service/storage/comment_repository.h"

namespace comments::app {

struct ReadOptions {
  domain::PageLimits pages;
  // Seals and opens ListComments page tokens; not owned. Required for
  // List, which fails without one.
  const domain::PageTokenCodec* page_tokens = nullptr;
  int max_count_threads = 100;
};

struct CommentPage {
  // The page's comments: the first of `records`, which keeps them alive (a
  // page served from the cache is shared, not copied).
  absl::Span<const storage::CommentRecord> comments;
  storage::SharedRecords records;
  // Empty on the last page.
  std::string next_page_token;
};

class ReadComments {
 public:
  // `comments` is not owned and must outlive the use case.
  ReadComments(storage::CommentRepository* comments, ReadOptions options);

  // `name`: threads/{thread}/comments/{id}. INVALID_ARGUMENT (INVALID_NAME)
  // when malformed; NOT_FOUND unless the comment is APPROVED in that thread.
  absl::StatusOr<storage::CommentRecord> Get(std::string_view name,
                                             absl::Time deadline) const;

  // APPROVED comments of `parent` (threads/{thread}), oldest first
  // (AIP-158). INVALID_ARGUMENT for a bad parent (INVALID_PARENT), page
  // size or page token.
  absl::StatusOr<CommentPage> List(std::string_view parent, int page_size,
                                   std::string_view page_token,
                                   absl::Time deadline) const;

  // APPROVED counts, one per parent in the order given. INVALID_ARGUMENT
  // (INVALID_PARENT) naming every bad entry, none or too many parents.
  absl::StatusOr<std::vector<int64_t>> Count(
      const std::vector<std::string>& parents, absl::Time deadline) const;

 private:
  storage::CommentRepository* comments_;
  const ReadOptions options_;
};

}  // namespace comments::app

#endif  // COMMENTS_SERVICE_APP_READ_COMMENTS_H_
