// What the moderation use case tells the operators: who decided what. Each
// event names the moderator and the comment, never an author's address or
// its hash. LoggingModerationObserver writes them as log lines; tests
// record them.
#ifndef COMMENTS_SERVICE_APP_MODERATION_OBSERVER_H_
#define COMMENTS_SERVICE_APP_MODERATION_OBSERVER_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "service/domain/comment_state.h"
#include "service/domain/moderation.h"

namespace comments::app {

// One comment changed state by a moderator's decision.
struct CommentModerated {
  std::string moderator;
  std::string comment_id;
  std::string thread;
  domain::ModerationAction action = domain::ModerationAction::kApprove;
  domain::CommentState state = domain::CommentState::kPending;
};

// A batch ran: how many comments it named and how many changed.
struct BatchModerated {
  std::string moderator;
  domain::ModerationAction action = domain::ModerationAction::kApprove;
  int requested = 0;
  int changed = 0;
};

// An author's data was erased: how many comments, never whose.
struct AuthorDataErased {
  std::string moderator;
  int64_t affected_comments = 0;
  bool deleted = false;
};

// Called on the request threads, several at once, after the change has
// committed: implementations are thread-safe and do not block.
class ModerationObserver {
 public:
  virtual ~ModerationObserver() = default;
  virtual void OnCommentModerated(const CommentModerated& event) = 0;
  virtual void OnBatchModerated(const BatchModerated& event) = 0;
  virtual void OnAuthorDataErased(const AuthorDataErased& event) = 0;
};

// "comment moderated", "batch moderated" and "author data erased" lines of
// the structured log (common/json_log.h); operators alert on their fields.
class LoggingModerationObserver final : public ModerationObserver {
 public:
  void OnCommentModerated(const CommentModerated& event) override;
  void OnBatchModerated(const BatchModerated& event) override;
  void OnAuthorDataErased(const AuthorDataErased& event) override;
};

// Every event to each of `observers` in order (the log and the metrics);
// not owned.
class ModerationObservers final : public ModerationObserver {
 public:
  explicit ModerationObservers(std::vector<ModerationObserver*> observers)
      : observers_(std::move(observers)) {}
  void OnCommentModerated(const CommentModerated& event) override;
  void OnBatchModerated(const BatchModerated& event) override;
  void OnAuthorDataErased(const AuthorDataErased& event) override;

 private:
  const std::vector<ModerationObserver*> observers_;
};

}  // namespace comments::app

#endif  // COMMENTS_SERVICE_APP_MODERATION_OBSERVER_H_
