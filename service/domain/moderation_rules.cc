#include "service/domain/moderation_rules.h"

#include "re2/re2.h"
#include "service/domain/text_fold.h"
#include "service/domain/text_spoof.h"

namespace comments::domain {
namespace {

// What a reader's browser or a spammer's tool turns into a link: a URL with
// an http(s) scheme, or a bare "www." host, followed by a letter or digit.
// The match runs to the next white space, quote, angle bracket or
// parenthesis, so one URL never counts twice and Markdown's "[a](url)"
// counts once per URL.
const re2::RE2& LinkPattern() {
  static const re2::RE2* const pattern = new re2::RE2(
      R"re((?i)\b(?:https?://|www\.)[\p{L}\p{N}][^\s<>"'()\[\]]*)re");
  return *pattern;
}

}  // namespace

int CountLinks(std::string_view body, std::string_view author_url) {
  int links = author_url.empty() ? 0 : 1;
  re2::StringPiece input(body.data(), body.size());
  while (re2::RE2::FindAndConsume(&input, LinkPattern())) ++links;
  return links;
}

ContentFindings InspectContent(const ModerationRules& rules,
                               const SubmittedContent& content) {
  ContentFindings findings;
  findings.links = CountLinks(content.body, content.author_url);
  findings.links_over_threshold =
      rules.link_threshold > 0 && findings.links >= rules.link_threshold;
  findings.confusable_name = LooksLikeMixedScriptSpoof(content.author_name);
  if (!rules.blocked_words.empty() || !rules.hold_words.empty()) {
    std::vector<std::string> words = FoldedWords(content.author_name);
    // A name and a body are separate texts: a phrase must not run from one
    // into the other, so an empty word stands between them.
    words.emplace_back();
    std::vector<std::string> body_words = FoldedWords(content.body);
    words.insert(words.end(), body_words.begin(), body_words.end());
    findings.blocked_word = rules.blocked_words.FoundIn(words);
    findings.hold_word = rules.hold_words.FoundIn(words);
  }
  return findings;
}

bool NeedsAuthorHistory(const ModerationRules& rules,
                        const ContentFindings& findings) {
  return rules.trust_returning_authors &&
         rules.mode == ModerationMode::kPreModeration &&
         !findings.blocked_word && !findings.hold_word &&
         !findings.links_over_threshold && !findings.confusable_name;
}

ModerationDecision Decide(const ModerationRules& rules,
                          const ContentFindings& findings,
                          int64_t approved_by_author) {
  ModerationDecision decision;
  if (findings.blocked_word) decision.flags.push_back(kBlockedWordFlag);
  if (findings.hold_word) decision.flags.push_back(kHoldWordFlag);
  if (findings.links_over_threshold) decision.flags.push_back(kLinksFlag);
  if (findings.confusable_name) decision.flags.push_back(kConfusableNameFlag);

  if (findings.blocked_word) {
    decision.state = CommentState::kSpam;
  } else if (findings.hold_word || findings.links_over_threshold ||
             findings.confusable_name) {
    // A name made to pass for another is held, so an impersonation is not
    // published before a moderator has seen it.
    decision.state = CommentState::kPending;
  } else if (NeedsAuthorHistory(rules, findings) &&
             approved_by_author >= rules.trusted_min_approved) {
    decision.state = CommentState::kApproved;
    decision.flags.push_back(kTrustedAuthorFlag);
  } else {
    decision.state = rules.mode == ModerationMode::kPostModeration
                         ? CommentState::kApproved
                         : CommentState::kPending;
  }
  return decision;
}

}  // namespace comments::domain
