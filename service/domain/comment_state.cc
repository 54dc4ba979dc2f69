#include "service/domain/comment_state.h"

namespace comments::domain {

std::string_view StateName(CommentState state) {
  switch (state) {
    case CommentState::kPending:
      return "PENDING";
    case CommentState::kApproved:
      return "APPROVED";
    case CommentState::kRejected:
      return "REJECTED";
    case CommentState::kSpam:
      return "SPAM";
  }
  return "PENDING";
}

std::optional<CommentState> ParseStateName(std::string_view name) {
  for (CommentState state : {CommentState::kPending, CommentState::kApproved,
                             CommentState::kRejected, CommentState::kSpam}) {
    if (StateName(state) == name) return state;
  }
  return std::nullopt;
}

}  // namespace comments::domain
