// Moderation rules: which state changes a moderator may make, etags, and
// the moderator-supplied fields (names, reasons). Pure; no I/O.
//
// Transitions (every other change, same-state ones included, is
// FAILED_PRECONDITION naming the current state):
//
//   action      from                          to
//   APPROVE     PENDING, REJECTED, SPAM       APPROVED
//   REJECT      PENDING, APPROVED             REJECTED
//   MARK_SPAM   PENDING, APPROVED, REJECTED   SPAM
//
// A SPAM verdict is undone only by publishing the comment (a false positive);
// nothing moves a comment back to PENDING, so the queue only ever shrinks by
// a moderator's hand.
#ifndef COMMENTS_SERVICE_DOMAIN_MODERATION_H_
#define COMMENTS_SERVICE_DOMAIN_MODERATION_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "service/domain/comment_state.h"

namespace comments::domain {

// The reserved actor name of automatic rules; no moderator may take it.
inline constexpr char kAutoActor[] = "auto";

inline constexpr int kMaxReasonChars = 1000;
inline constexpr int kMaxModeratorNameChars = 64;

enum class ModerationAction { kApprove, kReject, kMarkSpam, kErase };

// "APPROVE", "REJECT", "MARK_SPAM", "ERASE": the database's spelling.
std::string_view ActionName(ModerationAction action);
std::optional<ModerationAction> ParseActionName(std::string_view name);

// The state an action leads to; nullopt for kErase, which changes no state.
std::optional<CommentState> TargetState(ModerationAction action);

// The states from which `action` is legal, in the table's order.
std::vector<CommentState> AllowedFromStates(ModerationAction action);

// OK when `action` may be applied to a comment in `current`; otherwise
// FAILED_PRECONDITION (reason INVALID_TRANSITION) whose message names the
// current state, e.g. "comment is already APPROVED".
absl::Status CheckTransition(CommentState current, ModerationAction action);

// Etags are the row version as an opaque string.
std::string FormatEtag(int64_t version);

// The version an etag names; nullopt for an empty etag (no check wanted).
// INVALID_ARGUMENT naming `field` when the etag is not one this service
// issued.
absl::StatusOr<std::optional<int64_t>> ParseEtag(std::string_view etag,
                                                 std::string_view field);

// ABORTED (reason STALE_ETAG) unless `expected` is unset or equals
// `current`: the caller acted on a view that has changed since.
absl::Status CheckEtag(std::optional<int64_t> expected, int64_t current);

// The order of checks for one moderation action on a comment the caller
// named: a stale etag first (the caller must re-read before anything else
// is meaningful), then the transition table.
absl::Status CheckModeration(CommentState current, int64_t current_version,
                             ModerationAction action,
                             std::optional<int64_t> expected_version);

// 1-64 characters of [A-Za-z0-9._@-], and not "auto". Names appear in audit
// rows and logs, so nothing that could disguise itself is allowed.
bool IsValidModeratorName(std::string_view name);

// A moderator's reason: valid UTF-8, at most kMaxReasonChars characters,
// no control characters other than tab and line breaks. A description of
// the problem, or nullopt when the reason is acceptable.
std::optional<std::string> ReasonProblem(std::string_view reason);

}  // namespace comments::domain

#endif  // COMMENTS_SERVICE_DOMAIN_MODERATION_H_
