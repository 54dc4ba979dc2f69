#include "service/metrics/submission_metrics.h"

#include <string>

#include "absl/strings/ascii.h"
#include "service/domain/comment_state.h"
#include "service/domain/moderation.h"

namespace comments::metrics {

std::string LabelValue(std::string_view name) {
  return absl::AsciiStrToLower(std::string(name));
}

SubmissionMetrics::SubmissionMetrics(prometheus::Registry& registry)
    : created_(prometheus::BuildCounter()
                   .Name("comments_submissions_created_total")
                   .Help("New comments stored, by the state stored.")
                   .Register(registry)),
      replayed_(prometheus::BuildCounter()
                    .Name("comments_submissions_replayed_total")
                    .Help("Submissions answered with the comment already "
                          "stored for their request_id.")
                    .Register(registry)
                    .Add({})),
      refusals_(prometheus::BuildCounter()
                    .Name("comments_flood_refusals_total")
                    .Help("Submissions refused by flood control, by rule.")
                    .Register(registry)),
      holds_(prometheus::BuildCounter()
                 .Name("comments_flood_holds_total")
                 .Help("New comments flagged for moderators by a check of "
                       "the insert (duplicate body, mailbox over its "
                       "interval), by rule.")
                 .Register(registry)),
      verdicts_(prometheus::BuildCounter()
                    .Name("comments_moderation_verdicts_total")
                    .Help("Auto-moderation decisions on new comments, by "
                          "the rule that fired (mode: none did) and the "
                          "state it chose.")
                    .Register(registry)) {}

void SubmissionMetrics::OnAccepted(const app::SubmissionAccepted& event) {
  if (!event.created) {
    replayed_.Increment();
    return;
  }
  created_.Add({{"state", LabelValue(domain::StateName(event.state))}})
      .Increment();
}

void SubmissionMetrics::OnRefused(const app::SubmissionRefused& event) {
  refusals_.Add({{"rule", event.rule}}).Increment();
}

void SubmissionMetrics::OnHeld(const app::SubmissionHeld& event) {
  holds_.Add({{"rule", event.rule}}).Increment();
}

void SubmissionMetrics::OnVerdict(const app::ModerationVerdict& event) {
  verdicts_
      .Add({{"rule", event.rule},
            {"outcome", LabelValue(domain::StateName(event.outcome))}})
      .Increment();
}

ModerationMetrics::ModerationMetrics(prometheus::Registry& registry)
    : decisions_(prometheus::BuildCounter()
                     .Name("comments_moderation_decisions_total")
                     .Help("Comments changed by a moderator's decision, by "
                           "action.")
                     .Register(registry)),
      erasures_(prometheus::BuildCounter()
                    .Name("comments_author_erasures_total")
                    .Help("Erasures of an author's data carried out.")
                    .Register(registry)
                    .Add({})) {}

void ModerationMetrics::OnCommentModerated(const app::CommentModerated& event) {
  decisions_.Add({{"action", LabelValue(domain::ActionName(event.action))}})
      .Increment();
}

void ModerationMetrics::OnAuthorDataErased(const app::AuthorDataErased&) {
  erasures_.Increment();
}

}  // namespace comments::metrics
