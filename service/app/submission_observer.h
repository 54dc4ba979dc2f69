// What the submission use case tells the operators, as events to an
// observer interface (the same style as moderation_observer.h): the log
// lines and the metrics are two implementations, and SubmissionObservers
// hands every event to several. No event carries personal data (no
// address, name, body, IP or user agent), and the rule names are the
// stable flag names of domain/moderation_rules.h and
// domain/admission_findings.h, so they are safe as metric labels.
#ifndef COMMENTS_SERVICE_APP_SUBMISSION_OBSERVER_H_
#define COMMENTS_SERVICE_APP_SUBMISSION_OBSERVER_H_

#include <string>
#include <utility>
#include <vector>

#include "service/domain/comment_state.h"

namespace comments::app {

// A submission was stored, or a replayed request_id answered with the
// stored comment.
struct SubmissionAccepted {
  std::string comment_id;
  std::string thread;
  // As stored: SPAM is reported as such, though the author is told PENDING.
  domain::CommentState state = domain::CommentState::kPending;
  // False for a replayed request_id.
  bool created = true;
};

// The rule of a flood-control refusal: the caller's own client network over
// its interval or token bucket (storage/admission.h), the only refusal.
inline constexpr char kClientNetworkRule[] = "client_network";

// A submission refused by flood control (RESOURCE_EXHAUSTED).
struct SubmissionRefused {
  std::string rule = kClientNetworkRule;
};

// A new comment flagged by a check run in the insert's transaction:
// domain::kDuplicateFlag or domain::kMailboxFloodFlag, with the state it
// was stored in.
struct SubmissionHeld {
  std::string rule;
  domain::CommentState state = domain::CommentState::kPending;
};

// The rule that did not fire: the moderation mode alone decided.
inline constexpr char kModeRule[] = "mode";

// Auto-moderation's decision on a new comment, once per content rule that
// fired (its flag), or once with kModeRule when none did. `outcome` is the
// state auto-moderation chose, before the checks of SubmissionHeld.
struct ModerationVerdict {
  std::string rule;
  domain::CommentState outcome = domain::CommentState::kPending;
};

// Called on the request threads, several at once: implementations are
// thread-safe and do not block. Only new comments get OnHeld and
// OnVerdict; a replay gets OnAccepted alone.
class SubmissionObserver {
 public:
  virtual ~SubmissionObserver() = default;
  virtual void OnAccepted(const SubmissionAccepted& event) = 0;
  virtual void OnRefused(const SubmissionRefused& event) = 0;
  virtual void OnHeld(const SubmissionHeld& event) = 0;
  virtual void OnVerdict(const ModerationVerdict& event) = 0;
};

// "comment created" / "comment create replayed" with the comment id, thread
// and stored state, and "comment refused by flood control"; holds and
// verdicts are in the stored comment's flags already, so they are not
// logged again.
class LoggingSubmissionObserver final : public SubmissionObserver {
 public:
  void OnAccepted(const SubmissionAccepted& event) override;
  void OnRefused(const SubmissionRefused& event) override;
  void OnHeld(const SubmissionHeld&) override {}
  void OnVerdict(const ModerationVerdict&) override {}
};

// Every event to each of `observers` in order; not owned.
class SubmissionObservers final : public SubmissionObserver {
 public:
  explicit SubmissionObservers(std::vector<SubmissionObserver*> observers)
      : observers_(std::move(observers)) {}
  void OnAccepted(const SubmissionAccepted& event) override;
  void OnRefused(const SubmissionRefused& event) override;
  void OnHeld(const SubmissionHeld& event) override;
  void OnVerdict(const ModerationVerdict& event) override;

 private:
  const std::vector<SubmissionObserver*> observers_;
};

}  // namespace comments::app

#endif  // COMMENTS_SERVICE_APP_SUBMISSION_OBSERVER_H_
