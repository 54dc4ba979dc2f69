#include "service/app/moderation_observer.h"

#include <string>

#include "service/common/json_log.h"

namespace comments::app {

void LoggingModerationObserver::OnCommentModerated(
    const CommentModerated& event) {
  log::Info("comment moderated",
            {{"comment", event.comment_id},
             {"thread", event.thread},
             {"action", std::string(domain::ActionName(event.action))},
             {"state", std::string(domain::StateName(event.state))},
             {"moderator", event.moderator}});
}

void LoggingModerationObserver::OnBatchModerated(const BatchModerated& event) {
  log::Info("batch moderated",
            {{"action", std::string(domain::ActionName(event.action))},
             {"requested", event.requested},
             {"changed", event.changed},
             {"moderator", event.moderator}});
}

void LoggingModerationObserver::OnAuthorDataErased(
    const AuthorDataErased& event) {
  log::Info("author data erased",
            {{"affected_comments", event.affected_comments},
             {"deleted", event.deleted},
             {"moderator", event.moderator}});
}

void ModerationObservers::OnCommentModerated(const CommentModerated& event) {
  for (ModerationObserver* observer : observers_) {
    observer->OnCommentModerated(event);
  }
}

void ModerationObservers::OnBatchModerated(const BatchModerated& event) {
  for (ModerationObserver* observer : observers_) {
    observer->OnBatchModerated(event);
  }
}

void ModerationObservers::OnAuthorDataErased(const AuthorDataErased& event) {
  for (ModerationObserver* observer : observers_) {
    observer->OnAuthorDataErased(event);
  }
}

}  // namespace comments::app
