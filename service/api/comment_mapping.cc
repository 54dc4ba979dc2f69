#include "service/api/comment_mapping.h"

#include "service/domain/names.h"

namespace comments::api {

v1::CommentState ToProto(domain::CommentState state) {
  switch (state) {
    case domain::CommentState::kPending:
      return v1::PENDING;
    case domain::CommentState::kApproved:
      return v1::APPROVED;
    case domain::CommentState::kRejected:
      return v1::REJECTED;
    case domain::CommentState::kSpam:
      return v1::SPAM;
  }
  return v1::COMMENT_STATE_UNSPECIFIED;
}

std::optional<domain::CommentState> FromProto(v1::CommentState state) {
  switch (state) {
    case v1::PENDING:
      return domain::CommentState::kPending;
    case v1::APPROVED:
      return domain::CommentState::kApproved;
    case v1::REJECTED:
      return domain::CommentState::kRejected;
    case v1::SPAM:
      return domain::CommentState::kSpam;
    default:
      return std::nullopt;
  }
}

domain::CreateCommentInput ToCreateCommentInput(
    const v1::CreateCommentRequest& request) {
  domain::CreateCommentInput input;
  input.parent = request.parent();
  input.author_name = request.comment().author_name();
  input.author_email = request.comment().author_email();
  input.author_url = request.comment().author_url();
  input.body = request.comment().body();
  input.reply_to = request.comment().reply_to();
  input.request_id = request.request_id();
  return input;
}

void ToProto(absl::Time time, google::protobuf::Timestamp* out) {
  const int64_t micros = absl::ToUnixMicros(time);
  int64_t seconds = micros / 1000000;
  int64_t rest = micros % 1000000;
  if (rest < 0) {
    --seconds;
    rest += 1000000;
  }
  out->set_seconds(seconds);
  out->set_nanos(static_cast<int32_t>(rest * 1000));
}

void ToPublicComment(const storage::CommentRecord& record, v1::Comment* out) {
  out->set_name(domain::CommentResourceName(record.thread, record.id));
  out->set_parent(domain::ThreadName(record.thread));
  out->set_author_name(record.author_name);
  out->set_author_url(record.author_url);
  out->set_body(record.body);
  if (!record.reply_to_id.empty()) {
    out->set_reply_to(
        domain::CommentResourceName(record.thread, record.reply_to_id));
  }
  out->set_state(ToProto(record.state));
  ToProto(record.create_time, out->mutable_create_time());
}

}  // namespace comments::api
