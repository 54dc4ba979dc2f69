// Translation between storage records and the API's messages.
#ifndef COMMENTS_SERVICE_API_COMMENT_MAPPING_H_
#define COMMENTS_SERVICE_API_COMMENT_MAPPING_H_

#include <optional>

#include "absl/time/time.h"
#include "comments/v1/comments.pb.h"
#include "google/protobuf/timestamp.pb.h"
#include "service/domain/comment_state.h"
#include "service/domain/validation.h"
#include "service/storage/comment_record.h"

namespace comments::api {

v1::CommentState ToProto(domain::CommentState state);
// nullopt for COMMENT_STATE_UNSPECIFIED and unknown values.
std::optional<domain::CommentState> FromProto(v1::CommentState state);

void ToProto(absl::Time time, google::protobuf::Timestamp* out);

// What CreateComment's caller sent, field by field, for validation.
domain::CreateCommentInput ToCreateCommentInput(
    const v1::CreateCommentRequest& request);

// The public view: no email, IP, user agent or flags can leave through it.
void ToPublicComment(const storage::CommentRecord& record, v1::Comment* out);

}  // namespace comments::api

#endif  // COMMENTS_SERVICE_API_COMMENT_MAPPING_H_
