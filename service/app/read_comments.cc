#include "service/app/read_comments.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "service/domain/error.h"
#include "service/domain/names.h"

namespace comments::app {

ReadComments::ReadComments(storage::CommentRepository* comments,
                           ReadOptions options)
    : comments_(comments), options_(std::move(options)) {}

absl::StatusOr<storage::CommentRecord> ReadComments::Get(
    std::string_view name, absl::Time deadline) const {
  std::optional<domain::CommentName> parsed = domain::ParseCommentName(name);
  if (!parsed.has_value()) {
    return domain::InvalidArgumentError(
        domain::ErrorReason::kInvalidName,
        {{"name", "must be threads/{thread}/comments/{uuid}"}});
  }
  absl::StatusOr<storage::CommentRecord> record =
      comments_->Get(parsed->id, deadline);
  if (!record.ok()) return record.status();
  // Unpublished comments do not exist as far as the public can tell.
  if (record->thread != parsed->thread ||
      record->state != domain::CommentState::kApproved) {
    return absl::NotFoundError("comment not found");
  }
  return record;
}

absl::StatusOr<CommentPage> ReadComments::List(std::string_view parent,
                                               int page_size,
                                               std::string_view page_token,
                                               absl::Time deadline) const {
  std::optional<std::string> thread = domain::ParseThreadName(parent);
  if (!thread.has_value()) {
    return domain::InvalidArgumentError(
        domain::ErrorReason::kInvalidParent,
        {{"parent", "must be threads/{thread}"}});
  }
  if (options_.page_tokens == nullptr) {
    return absl::InternalError("listing without page tokens");
  }
  const std::string query = absl::StrCat("comments:", std::string(parent));
  absl::StatusOr<domain::Page> page =
      domain::ResolvePage({page_size, std::string(page_token)}, query,
                          options_.pages, *options_.page_tokens);
  if (!page.ok()) return page.status();
  // One extra row tells whether another page follows.
  absl::StatusOr<storage::SharedRecords> records =
      comments_->ListApprovedShared(*thread, page->after, page->size + 1,
                                    deadline);
  if (!records.ok()) return records.status();
  CommentPage result;
  result.records = *std::move(records);
  const std::vector<storage::CommentRecord>& fetched = *result.records;
  const size_t shown =
      std::min(fetched.size(), static_cast<size_t>(page->size));
  result.comments = absl::MakeConstSpan(fetched.data(), shown);
  if (fetched.size() > shown && shown > 0) {
    result.next_page_token =
        options_.page_tokens->Seal(query, fetched[shown - 1].seq);
  }
  return result;
}

absl::StatusOr<std::vector<int64_t>> ReadComments::Count(
    const std::vector<std::string>& parents, absl::Time deadline) const {
  std::vector<domain::FieldViolation> violations;
  std::vector<std::string> threads;
  if (parents.empty()) {
    violations.push_back({"parents", "must name at least one thread"});
  } else if (static_cast<int>(parents.size()) > options_.max_count_threads) {
    violations.push_back(
        {"parents", absl::StrCat("must name at most ",
                                 options_.max_count_threads, " threads")});
  }
  for (size_t i = 0; i < parents.size(); ++i) {
    std::optional<std::string> thread = domain::ParseThreadName(parents[i]);
    if (!thread.has_value()) {
      violations.push_back(
          {absl::StrCat("parents[", i, "]"), "must be threads/{thread}"});
    } else {
      threads.push_back(*std::move(thread));
    }
  }
  if (!violations.empty()) {
    return domain::InvalidArgumentError(domain::ErrorReason::kInvalidParent,
                                        violations);
  }
  absl::StatusOr<std::vector<int64_t>> counts =
      comments_->CountApproved(threads, deadline);
  if (!counts.ok()) return counts.status();
  // One count per parent even if the repository answered fewer.
  counts->resize(threads.size(), 0);
  return counts;
}

}  // namespace comments::app
