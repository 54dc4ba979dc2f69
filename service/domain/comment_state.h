// The moderation states of a comment and their stored names.
#ifndef COMMENTS_SERVICE_DOMAIN_COMMENT_STATE_H_
#define COMMENTS_SERVICE_DOMAIN_COMMENT_STATE_H_

#include <optional>
#include <string_view>

namespace comments::domain {

enum class CommentState { kPending, kApproved, kRejected, kSpam };

// "PENDING", "APPROVED", "REJECTED", "SPAM": the database's spelling.
std::string_view StateName(CommentState state);
std::optional<CommentState> ParseStateName(std::string_view name);

}  // namespace comments::domain

#endif  // COMMENTS_SERVICE_DOMAIN_COMMENT_STATE_H_
