// The use cases' own metrics, as observers of their events
// (app/submission_observer.h, app/moderation_observer.h):
//   comments_submissions_created_total{state}       new comments, as stored
//   comments_submissions_replayed_total             repeated request_ids
//   comments_flood_refusals_total{rule}             RESOURCE_EXHAUSTED refusals
//   comments_flood_holds_total{rule}                duplicate / mailbox flags
//   comments_moderation_verdicts_total{rule,outcome} auto-moderation
//   comments_moderation_decisions_total{action}     moderators' changes
//   comments_author_erasures_total                  erasure requests run
// Every label is a rule, state or action name: never a moderator, author,
// thread or comment.
#ifndef COMMENTS_SERVICE_METRICS_SUBMISSION_METRICS_H_
#define COMMENTS_SERVICE_METRICS_SUBMISSION_METRICS_H_

#include <string>
#include <string_view>

#include "prometheus/counter.h"
#include "prometheus/family.h"
#include "prometheus/registry.h"
#include "service/app/moderation_observer.h"
#include "service/app/submission_observer.h"

namespace comments::metrics {

// A state or action name as a label value: "pending", "mark_spam".
std::string LabelValue(std::string_view name);

class SubmissionMetrics final : public app::SubmissionObserver {
 public:
  // `registry` must outlive this.
  explicit SubmissionMetrics(prometheus::Registry& registry);

  void OnAccepted(const app::SubmissionAccepted& event) override;
  void OnRefused(const app::SubmissionRefused& event) override;
  void OnHeld(const app::SubmissionHeld& event) override;
  void OnVerdict(const app::ModerationVerdict& event) override;

 private:
  prometheus::Family<prometheus::Counter>& created_;
  prometheus::Counter& replayed_;
  prometheus::Family<prometheus::Counter>& refusals_;
  prometheus::Family<prometheus::Counter>& holds_;
  prometheus::Family<prometheus::Counter>& verdicts_;
};

class ModerationMetrics final : public app::ModerationObserver {
 public:
  // `registry` must outlive this.
  explicit ModerationMetrics(prometheus::Registry& registry);

  void OnCommentModerated(const app::CommentModerated& event) override;
  // A batch's comments are each reported by OnCommentModerated.
  void OnBatchModerated(const app::BatchModerated&) override {}
  void OnAuthorDataErased(const app::AuthorDataErased& event) override;

 private:
  prometheus::Family<prometheus::Counter>& decisions_;
  prometheus::Counter& erasures_;
};

}  // namespace comments::metrics

#endif  // COMMENTS_SERVICE_METRICS_SUBMISSION_METRICS_H_
