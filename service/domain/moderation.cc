#include "service/domain/moderation.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "service/domain/error.h"
#include "service/domain/text.h"

namespace comments::domain {
namespace {

constexpr ModerationAction kAllActions[] = {
    ModerationAction::kApprove, ModerationAction::kReject,
    ModerationAction::kMarkSpam, ModerationAction::kErase};

absl::string_view Absl(std::string_view text) {
  return absl::string_view(text.data(), text.size());
}

}  // namespace

std::string_view ActionName(ModerationAction action) {
  switch (action) {
    case ModerationAction::kApprove:
      return "APPROVE";
    case ModerationAction::kReject:
      return "REJECT";
    case ModerationAction::kMarkSpam:
      return "MARK_SPAM";
    case ModerationAction::kErase:
      return "ERASE";
  }
  return "APPROVE";
}

std::optional<ModerationAction> ParseActionName(std::string_view name) {
  for (ModerationAction action : kAllActions) {
    if (ActionName(action) == name) return action;
  }
  return std::nullopt;
}

std::optional<CommentState> TargetState(ModerationAction action) {
  switch (action) {
    case ModerationAction::kApprove:
      return CommentState::kApproved;
    case ModerationAction::kReject:
      return CommentState::kRejected;
    case ModerationAction::kMarkSpam:
      return CommentState::kSpam;
    case ModerationAction::kErase:
      return std::nullopt;
  }
  return std::nullopt;
}

std::vector<CommentState> AllowedFromStates(ModerationAction action) {
  switch (action) {
    case ModerationAction::kApprove:
      return {CommentState::kPending, CommentState::kRejected,
              CommentState::kSpam};
    case ModerationAction::kReject:
      return {CommentState::kPending, CommentState::kApproved};
    case ModerationAction::kMarkSpam:
      return {CommentState::kPending, CommentState::kApproved,
              CommentState::kRejected};
    case ModerationAction::kErase:
      return {};
  }
  return {};
}

absl::Status CheckTransition(CommentState current, ModerationAction action) {
  const std::vector<CommentState> allowed = AllowedFromStates(action);
  if (std::find(allowed.begin(), allowed.end(), current) != allowed.end()) {
    return absl::OkStatus();
  }
  const std::string message =
      TargetState(action) == current
          ? absl::StrCat("comment is already ", Absl(StateName(current)))
          : absl::StrCat("cannot ", Absl(ActionName(action)),
                         " a comment that is ", Absl(StateName(current)));
  return WithReason(absl::FailedPreconditionError(message),
                    ErrorReason::kInvalidTransition);
}

std::string FormatEtag(int64_t version) { return absl::StrCat(version); }

absl::StatusOr<std::optional<int64_t>> ParseEtag(std::string_view etag,
                                                 std::string_view field) {
  if (etag.empty()) return std::optional<int64_t>();
  int64_t version = 0;
  const bool digits_only = std::all_of(etag.begin(), etag.end(), [](char c) {
    return absl::ascii_isdigit(static_cast<unsigned char>(c));
  });
  if (!digits_only || etag.size() > 18 ||
      !absl::SimpleAtoi(Absl(etag), &version) || version <= 0) {
    return InvalidArgumentError(
        ErrorReason::kInvalidEtag,
        {{std::string(field), "must be an etag returned by this service"}});
  }
  return std::optional<int64_t>(version);
}

absl::Status CheckEtag(std::optional<int64_t> expected, int64_t current) {
  if (!expected.has_value() || *expected == current) return absl::OkStatus();
  return WithReason(
      absl::AbortedError(
          "the comment changed since the etag was read; read it again"),
      ErrorReason::kStaleEtag);
}

absl::Status CheckModeration(CommentState current, int64_t current_version,
                             ModerationAction action,
                             std::optional<int64_t> expected_version) {
  if (absl::Status stale = CheckEtag(expected_version, current_version);
      !stale.ok()) {
    return stale;
  }
  return CheckTransition(current, action);
}

bool IsValidModeratorName(std::string_view name) {
  if (name.empty() || name.size() > kMaxModeratorNameChars ||
      name == kAutoActor) {
    return false;
  }
  return std::all_of(name.begin(), name.end(), [](char c) {
    return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '.' ||
           c == '_' || c == '@' || c == '-';
  });
}

std::optional<std::string> ReasonProblem(std::string_view reason) {
  if (!IsValidUtf8(reason)) return "must be valid UTF-8";
  if (HasControlCharsExceptLineBreaks(reason)) {
    return "must not contain control characters other than tab and line "
           "breaks";
  }
  if (CountCodePoints(reason) > kMaxReasonChars) {
    return absl::StrCat("must be at most ", kMaxReasonChars, " characters");
  }
  return std::nullopt;
}

}  // namespace comments::domain
