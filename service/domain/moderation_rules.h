// Auto-moderation: the state a new comment starts in and the flags that
// tell a moderator why. Pure: the caller supplies everything, including how
// many approved comments the author already has.
//
// Precedence, strongest first:
//   a blocked word            -> SPAM
//   a hold word, links, or a confusable name -> PENDING
//   a trusted returning author (when enabled) -> APPROVED
//   otherwise the mode: pre-moderation -> PENDING, post-moderation -> APPROVED
// Every content rule that fired leaves its flag, even when a stronger one
// decided; "trusted_author" is flagged when trust approved the comment.
#ifndef COMMENTS_SERVICE_DOMAIN_MODERATION_RULES_H_
#define COMMENTS_SERVICE_DOMAIN_MODERATION_RULES_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "service/domain/comment_state.h"
#include "service/domain/word_list.h"

namespace comments::domain {

// Flags stored on comments. Stable: moderators' tools filter on them.
inline constexpr char kLinksFlag[] = "links";
inline constexpr char kBlockedWordFlag[] = "blocked_word";
inline constexpr char kHoldWordFlag[] = "hold_word";
inline constexpr char kTrustedAuthorFlag[] = "trusted_author";
inline constexpr char kConfusableNameFlag[] = "confusable_name";

enum class ModerationMode {
  // Every comment waits for a moderator unless a rule approves it.
  kPreModeration,
  // Comments are published at once unless a rule holds them.
  kPostModeration,
};

struct ModerationRules {
  ModerationMode mode = ModerationMode::kPreModeration;
  // A comment with this many links or more (body and website together) is
  // held. 0 turns the rule off.
  int link_threshold = 2;
  // Matched against the author's name and the body.
  WordList blocked_words;
  WordList hold_words;
  // Approve at once an author (same name and email) who already has
  // `trusted_min_approved` approved comments. Off by default: an email
  // address is not verified, so anyone who knows one can use it.
  bool trust_returning_authors = false;
  int trusted_min_approved = 2;
};

// The parts of a validated comment the rules read.
struct SubmittedContent {
  std::string_view author_name;
  std::string_view author_url;
  std::string_view body;
};

// What the content rules found, before the author's history is known.
struct ContentFindings {
  int links = 0;
  bool links_over_threshold = false;
  bool blocked_word = false;
  bool hold_word = false;
  // The name mixes scripts the way look-alikes do (domain/text_spoof.h).
  bool confusable_name = false;
};

struct ModerationDecision {
  CommentState state = CommentState::kPending;
  std::vector<std::string> flags;
};

// http(s):// URLs and "www." links in `body`, plus one for a non-empty
// `author_url`. Requires valid UTF-8.
int CountLinks(std::string_view body, std::string_view author_url);

ContentFindings InspectContent(const ModerationRules& rules,
                               const SubmittedContent& content);

// Whether the author's count of approved comments can change the decision:
// the only case worth asking the database for it.
bool NeedsAuthorHistory(const ModerationRules& rules,
                        const ContentFindings& findings);

// `approved_by_author`: the author's APPROVED comments with the same name
// and email; ignored unless NeedsAuthorHistory.
ModerationDecision Decide(const ModerationRules& rules,
                          const ContentFindings& findings,
                          int64_t approved_by_author);

}  // namespace comments::domain

#endif  // COMMENTS_SERVICE_DOMAIN_MODERATION_RULES_H_
