#include "service/api/moderation_mapping.h"

#include <string>

#include "service/api/comment_mapping.h"
#include "service/common/json_log.h"
#include "service/domain/error.h"
#include "service/domain/names.h"

namespace comments::api {

v1::ModerationAction ToProto(domain::ModerationAction action) {
  switch (action) {
    case domain::ModerationAction::kApprove:
      return v1::APPROVE;
    case domain::ModerationAction::kReject:
      return v1::REJECT;
    case domain::ModerationAction::kMarkSpam:
      return v1::MARK_SPAM;
    case domain::ModerationAction::kErase:
      return v1::ERASE;
  }
  return v1::MODERATION_ACTION_UNSPECIFIED;
}

std::optional<domain::ModerationAction> DecisionFromProto(
    v1::ModerationAction action) {
  switch (action) {
    case v1::APPROVE:
      return domain::ModerationAction::kApprove;
    case v1::REJECT:
      return domain::ModerationAction::kReject;
    case v1::MARK_SPAM:
      return domain::ModerationAction::kMarkSpam;
    default:
      return std::nullopt;
  }
}

void ToModerationEvent(const storage::ModerationEventRecord& event,
                       v1::ModerationEvent* out) {
  if (!event.comment_id.empty()) {
    out->set_comment(
        domain::CommentResourceName(event.thread, event.comment_id));
  }
  out->set_moderator(event.moderator);
  out->set_action(ToProto(event.action));
  if (event.from_state.has_value()) {
    out->set_from_state(ToProto(*event.from_state));
  }
  if (event.to_state.has_value()) out->set_to_state(ToProto(*event.to_state));
  out->set_reason(event.reason);
  ToProto(event.create_time, out->mutable_create_time());
}

void ToModeratedComment(const storage::ModeratedRecord& record,
                        const security::EmailCipher& cipher,
                        v1::ModeratedComment* out) {
  const storage::CommentRecord& comment = record.comment;
  ToPublicComment(comment, out->mutable_comment());
  if (!comment.email_ciphertext.empty()) {
    absl::StatusOr<std::string> email =
        cipher.Decrypt(comment.email_ciphertext, comment.id);
    if (email.ok()) {
      out->set_author_email(*email);
    } else {
      log::Error("cannot decrypt author email",
                 {{"comment", comment.id},
                  {"code", absl::StatusCodeToString(email.status().code())}});
    }
  }
  out->set_client_ip(comment.client_ip);
  out->set_user_agent(comment.user_agent);
  for (const std::string& flag : comment.flags) out->add_flags(flag);
  out->set_etag(domain::FormatEtag(comment.version));
  for (const storage::ModerationEventRecord& event : record.history) {
    ToModerationEvent(event, out->add_history());
  }
  ToProto(comment.update_time, out->mutable_update_time());
}

void ToQueueEvent(const storage::QueueChange& change, v1::QueueEvent* out) {
  const bool entered = change.kind == storage::QueueChange::Kind::kEntered;
  out->set_kind(entered ? v1::QueueEvent::ENTERED : v1::QueueEvent::LEFT);
  out->set_comment(
      domain::CommentResourceName(change.thread, change.comment_id));
  if (change.state.has_value()) out->set_state(ToProto(*change.state));
  if (!entered) out->set_actor(change.actor);
  ToProto(change.time, out->mutable_event_time());
}

absl::StatusOr<std::string> ParseThreadFilter(std::string_view parent) {
  if (parent.empty()) return std::string();
  std::optional<std::string> thread = domain::ParseThreadName(parent);
  if (!thread.has_value()) {
    return domain::InvalidArgumentError(
        domain::ErrorReason::kInvalidParent,
        {{"parent", "must be threads/{thread}, or empty for every thread"}});
  }
  return *std::move(thread);
}

}  // namespace comments::api
