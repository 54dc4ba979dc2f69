#include "service/storage/caching_comment_repository.h"

#include <memory>
#include <optional>
#include <utility>

namespace comments::storage {

absl::StatusOr<SharedRecords> CachingCommentRepository::ListApprovedShared(
    std::string_view thread, int64_t after_seq, int limit,
    absl::Time deadline) {
  PublicReadCache::Ticket ticket;
  if (SharedRecords page = cache_->FindPage(thread, after_seq, limit, &ticket);
      page != nullptr) {
    return page;
  }
  absl::StatusOr<SharedRecords> read =
      repository_->ListApprovedShared(thread, after_seq, limit, deadline);
  if (read.ok()) cache_->StorePage(ticket, thread, after_seq, limit, *read);
  return read;
}

absl::StatusOr<std::vector<CommentRecord>>
CachingCommentRepository::ListApproved(std::string_view thread,
                                       int64_t after_seq, int limit,
                                       absl::Time deadline) {
  absl::StatusOr<SharedRecords> page =
      ListApprovedShared(thread, after_seq, limit, deadline);
  if (!page.ok()) return page.status();
  return **page;
}

absl::StatusOr<std::vector<int64_t>> CachingCommentRepository::CountApproved(
    const std::vector<std::string>& threads, absl::Time deadline) {
  std::vector<std::optional<int64_t>> cached;
  std::vector<PublicReadCache::Ticket> tickets;
  cache_->FindCounts(threads, &cached, &tickets);
  std::vector<std::string> missing;
  std::vector<PublicReadCache::Ticket> missing_tickets;
  for (size_t i = 0; i < threads.size(); ++i) {
    if (!cached[i].has_value()) {
      missing.push_back(threads[i]);
      missing_tickets.push_back(tickets[i]);
    }
  }
  std::vector<int64_t> read;
  if (!missing.empty()) {
    absl::StatusOr<std::vector<int64_t>> counted =
        repository_->CountApproved(missing, deadline);
    if (!counted.ok()) return counted.status();
    read = *std::move(counted);
    // A short answer stores only what it has.
    cache_->StoreCounts(missing, read, missing_tickets);
  }
  std::vector<int64_t> counts(threads.size(), 0);
  size_t next_read = 0;
  for (size_t i = 0; i < threads.size(); ++i) {
    if (cached[i].has_value()) {
      counts[i] = *cached[i];
    } else {
      counts[i] = next_read < read.size() ? read[next_read] : 0;
      ++next_read;
    }
  }
  return counts;
}

}  // namespace comments::storage
