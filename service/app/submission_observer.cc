#include "service/app/submission_observer.h"

#include <string>

#include "service/common/json_log.h"

namespace comments::app {

void LoggingSubmissionObserver::OnAccepted(const SubmissionAccepted& event) {
  log::Info(event.created ? "comment created" : "comment create replayed",
            {{"comment", event.comment_id},
             {"thread", event.thread},
             {"state", std::string(domain::StateName(event.state))}});
}

void LoggingSubmissionObserver::OnRefused(const SubmissionRefused& event) {
  log::Info("comment refused by flood control", {{"rule", event.rule}});
}

void SubmissionObservers::OnAccepted(const SubmissionAccepted& event) {
  for (SubmissionObserver* observer : observers_) observer->OnAccepted(event);
}

void SubmissionObservers::OnRefused(const SubmissionRefused& event) {
  for (SubmissionObserver* observer : observers_) observer->OnRefused(event);
}

void SubmissionObservers::OnHeld(const SubmissionHeld& event) {
  for (SubmissionObserver* observer : observers_) observer->OnHeld(event);
}

void SubmissionObservers::OnVerdict(const ModerationVerdict& event) {
  for (SubmissionObserver* observer : observers_) observer->OnVerdict(event);
}

}  // namespace comments::app
