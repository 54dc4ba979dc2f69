// The moderation use case: moderators list the queue, read a comment,
// decide on one or many, read the audit trail, erase an author's data, and
// watch the queue. It knows no transport: inputs arrive as the caller sent
// them (names, etags and reasons as strings) and are checked here, results
// are storage records, and errors are absl::Status with the error details
// of domain/error.h. The caller is already authenticated
// (api/moderator_call.h); its name is what the audit trail records.
#ifndef COMMENTS_SERVICE_APP_MODERATE_COMMENTS_H_
#define COMMENTS_SERVICE_APP_MODERATE_COMMENTS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "service/app/moderation_observer.h"
#include "service/domain/comment_state.h"
#include "service/domain/moderation.h"
#include "service/domain/page_token.h"
#include "service/domain/validation.h"
#include "service/security/keyed_hash.h"
#include "service/storage/moderation_record.h"
#include "service/storage/moderation_repository.h"

namespace comments::app {

// The authenticated moderator and the bound on the call's database work.
struct ModeratorCaller {
  std::string moderator;
  absl::Time deadline;
};

struct QueueListing {
  // Unset lists PENDING comments.
  std::optional<domain::CommentState> state;
  // Set when the caller asked for a state the contract does not define.
  bool unknown_state = false;
  std::string parent;  // threads/{thread}, or empty for every thread
  domain::PageRequest page;
};

struct QueueListingPage {
  std::vector<storage::ModeratedRecord> comments;
  std::string next_page_token;  // empty on the last page
  int64_t total_size = 0;
};

// One decision on one comment, as the single-comment calls make it.
struct Decision {
  domain::ModerationAction action = domain::ModerationAction::kApprove;
  std::string name;
  std::string etag;  // empty: no version check
  std::string reason;
};

struct BatchDecision {
  // Unset when the caller's action is not a decision on a comment.
  std::optional<domain::ModerationAction> action;
  std::vector<std::string> names;
  std::string reason;
};

// One result per name of the batch, in the request's order.
using BatchResults = std::vector<absl::StatusOr<storage::ModeratedRecord>>;

struct EventListing {
  std::string comment;  // a comment's name, or empty for the whole trail
  domain::PageRequest page;
};

struct EventPage {
  std::vector<storage::ModerationEventRecord> events;
  std::string next_page_token;
};

struct ErasureRequest {
  std::string author_email;  // as received
  bool delete_comments = false;
};

// A page of the existing queue as a watch sends it before live changes.
struct ExistingQueuePage {
  std::vector<storage::ModeratedRecord> comments;
  // Where the next page starts; unset after the last one.
  std::optional<int64_t> next_after;
};

struct ModerateCommentsOptions {
  domain::PageLimits pages;
  // Seals and opens queue and audit-trail page tokens; not owned. Required
  // for those two listings, which fail without one.
  const domain::PageTokenCodec* page_tokens = nullptr;
  // The email rules an erasure checks its address against.
  domain::ValidationLimits limits;
  int max_batch_names = 500;
};

// The thread of an optional threads/{thread} filter; empty means every
// thread. INVALID_ARGUMENT (INVALID_PARENT) naming `parent` otherwise.
absl::StatusOr<std::string> ParseThreadFilter(std::string_view parent);

class ModerateComments {
 public:
  // Dependencies are not owned and must outlive the use case.
  ModerateComments(storage::ModerationRepository* moderation,
                   const security::KeyedHasher* hasher,
                   ModerationObserver* observer,
                   ModerateCommentsOptions options);

  // INVALID_QUEUE_REQUEST naming `state` and `parent`; page errors as
  // domain::ResolvePage.
  absl::StatusOr<QueueListingPage> ListQueue(const ModeratorCaller& caller,
                                             const QueueListing& listing);

  // INVALID_NAME naming `name`; NOT_FOUND for no such comment.
  absl::StatusOr<storage::ModeratedRecord> Get(const ModeratorCaller& caller,
                                               std::string_view name);

  // INVALID_DECISION naming every bad one of `name`, `etag` and `reason`;
  // otherwise as storage::ModerationRepository::Apply.
  absl::StatusOr<storage::ModeratedRecord> Decide(const ModeratorCaller& caller,
                                                  const Decision& decision);

  // Problems of the request as a whole (no names, too many, no decision, a
  // bad reason) fail it with INVALID_BATCH; a bad name (INVALID_NAME
  // naming `names[i]`) or a refused transition fails only its own result.
  // A failure of the transaction is the returned status: nothing changed.
  absl::StatusOr<BatchResults> Batch(const ModeratorCaller& caller,
                                     const BatchDecision& batch);

  // INVALID_NAME naming `comment`; page errors as domain::ResolvePage.
  absl::StatusOr<EventPage> ListEvents(const ModeratorCaller& caller,
                                       const EventListing& listing);

  // How many comments were anonymised or deleted. INVALID_EMAIL naming
  // `author_email`, whose message never repeats the address.
  absl::StatusOr<int64_t> EraseAuthorData(const ModeratorCaller& caller,
                                          const ErasureRequest& request);

  // The watch: the thread its filter names (as ParseThreadFilter), and the
  // existing queue of that thread (every thread when empty), page by page
  // from `after_seq` (0 for the first).
  absl::StatusOr<std::string> WatchedThread(std::string_view parent) const;
  absl::StatusOr<ExistingQueuePage> ExistingQueue(std::string_view thread,
                                                  int64_t after_seq,
                                                  absl::Time deadline);

 private:
  // The page a listing's request asks for; INTERNAL without page tokens.
  absl::StatusOr<domain::Page> ResolvePage(const domain::PageRequest& request,
                                           std::string_view token_query) const;

  storage::ModerationRepository* moderation_;
  const security::KeyedHasher* hasher_;
  ModerationObserver* observer_;
  const ModerateCommentsOptions options_;
};

}  // namespace comments::app

#endif  // COMMENTS_SERVICE_APP_MODERATE_COMMENTS_H_
