// Human-readable renderings of comments, events and names shared by the
// commands. Everything from a comment passes through display_text.h.
#ifndef COMMENTS_CLIENT_CLI_COMMENT_VIEW_H_
#define COMMENTS_CLIENT_CLI_COMMENT_VIEW_H_

#include <optional>
#include <ostream>
#include <string>
#include <string_view>

#include "comments/v1/moderation.pb.h"
#include "google/protobuf/timestamp.pb.h"

namespace comments::cli {

// "2025-03-01 14:02:11" in the local time zone; "-" when unset.
std::string FormatTime(const google::protobuf::Timestamp& time);

// "PENDING", ...; "-" for UNSPECIFIED.
std::string StateName(v1::CommentState state);
// Case-insensitive "pending", "approved", "rejected" or "spam".
std::optional<v1::CommentState> ParseState(std::string_view text);
// "approve", "reject", "spam" (or "mark_spam"), case-insensitive.
std::optional<v1::ModerationAction> ParseAction(std::string_view text);
// "APPROVE", "REJECT", "MARK_SPAM", "ERASE".
std::string ActionName(v1::ModerationAction action);

// "threads/{thread}" for "{thread}" or "threads/{thread}".
std::string ThreadName(std::string_view thread);

// The full view of one comment: every field a moderator needs, the body
// indented below, then its history.
void PrintModeratedComment(std::ostream& out,
                           const v1::ModeratedComment& comment);

}  // namespace comments::cli

#endif  // COMMENTS_CLIENT_CLI_COMMENT_VIEW_H_
