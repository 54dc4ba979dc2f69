// Auto-moderation rules at their boundaries: links, word lists, both
// moderation modes, trusted returning authors on and off.
#include "service/domain/moderation_rules.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace comments::domain {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

ModerationRules Rules(ModerationMode mode = ModerationMode::kPreModeration) {
  ModerationRules rules;
  rules.mode = mode;
  rules.blocked_words = *WordList::Create({"casino", "cheap pills"});
  rules.hold_words = *WordList::Create({"lawsuit"});
  return rules;
}

ModerationDecision Judge(const ModerationRules& rules, const std::string& body,
                         const std::string& url = "",
                         const std::string& name = "Ada",
                         int64_t approved_by_author = 0) {
  return Decide(rules, InspectContent(rules, {name, url, body}),
                approved_by_author);
}

TEST(CountLinksTest, CountsUrlsWwwLinksAndTheWebsite) {
  EXPECT_EQ(CountLinks("no links here", ""), 0);
  EXPECT_EQ(CountLinks("see https://example.org/a?b=c", ""), 1);
  EXPECT_EQ(CountLinks("HTTP://EXAMPLE.ORG and www.example.net", ""), 2);
  EXPECT_EQ(CountLinks("<a href=\"http://x.example/\">x</a>", ""), 1);
  EXPECT_EQ(CountLinks("[a](https://a.example)[b](https://b.example)", ""), 2);
  EXPECT_EQ(CountLinks("plain text", "https://ada.example/"), 1);
  EXPECT_EQ(CountLinks("read https://a.example", "https://ada.example/"), 2);
  // Not links: no scheme or www, a scheme with nothing after it, ftp.
  EXPECT_EQ(CountLinks("example.org, http://, ftp://files.example", ""), 0);
  EXPECT_EQ(CountLinks("awww.example is a word", ""), 0);
}

TEST(ModerationRulesTest, OneLinkPassesTwoLinksHoldAndFlag) {
  const ModerationRules rules = Rules(ModerationMode::kPostModeration);
  ModerationDecision one = Judge(rules, "see https://a.example");
  EXPECT_EQ(one.state, CommentState::kApproved);
  EXPECT_THAT(one.flags, IsEmpty());

  ModerationDecision two =
      Judge(rules, "see https://a.example", "https://ada.example/");
  EXPECT_EQ(two.state, CommentState::kPending);
  EXPECT_THAT(two.flags, ElementsAre("links"));

  ModerationDecision body_only =
      Judge(rules, "https://a.example and www.b.example");
  EXPECT_EQ(body_only.state, CommentState::kPending);
  EXPECT_THAT(body_only.flags, ElementsAre("links"));
}

TEST(ModerationRulesTest, LinkThresholdIsConfigurableAndZeroTurnsItOff) {
  ModerationRules rules = Rules(ModerationMode::kPostModeration);
  rules.link_threshold = 3;
  EXPECT_EQ(Judge(rules, "https://a.example https://b.example").state,
            CommentState::kApproved);
  EXPECT_EQ(
      Judge(rules, "https://a.example https://b.example https://c.example")
          .state,
      CommentState::kPending);
  rules.link_threshold = 0;
  EXPECT_EQ(
      Judge(rules, "https://a.example https://b.example https://c.example")
          .state,
      CommentState::kApproved);
}

TEST(ModerationRulesTest, BlockedWordIsSpamAndHoldWordIsPending) {
  const ModerationRules rules = Rules(ModerationMode::kPostModeration);
  ModerationDecision blocked = Judge(rules, "Best CASINO in town");
  EXPECT_EQ(blocked.state, CommentState::kSpam);
  EXPECT_THAT(blocked.flags, ElementsAre("blocked_word"));

  ModerationDecision phrase = Judge(rules, "cheap   PILLS!");
  EXPECT_EQ(phrase.state, CommentState::kSpam);

  ModerationDecision held = Judge(rules, "This calls for a lawsuit.");
  EXPECT_EQ(held.state, CommentState::kPending);
  EXPECT_THAT(held.flags, ElementsAre("hold_word"));

  // Inside another word: no match.
  EXPECT_EQ(Judge(rules, "casinos and lawsuits").state,
            CommentState::kApproved);
  // The author's name is checked too.
  EXPECT_EQ(Judge(rules, "Nice article", "", "Casino Bob").state,
            CommentState::kSpam);
}

TEST(ModerationRulesTest, EveryRuleThatFiredIsFlaggedAndSpamWins) {
  const ModerationRules rules = Rules();
  ModerationDecision decision =
      Judge(rules, "casino lawsuit https://a.example https://b.example");
  EXPECT_EQ(decision.state, CommentState::kSpam);
  EXPECT_THAT(decision.flags,
              ElementsAre("blocked_word", "hold_word", "links"));
}

TEST(ModerationRulesTest, PhrasesDoNotRunFromTheNameIntoTheBody) {
  const ModerationRules rules = Rules(ModerationMode::kPostModeration);
  EXPECT_EQ(Judge(rules, "pills are cheap", "", "Cheap").state,
            CommentState::kApproved);
  EXPECT_EQ(Judge(rules, "pills for you", "", "Cheap").state,
            CommentState::kApproved);
}

TEST(ModerationRulesTest, PreModerationHoldsEverythingPostPublishes) {
  EXPECT_EQ(
      Judge(Rules(ModerationMode::kPreModeration), "A fine comment.").state,
      CommentState::kPending);
  ModerationDecision post =
      Judge(Rules(ModerationMode::kPostModeration), "A fine comment.");
  EXPECT_EQ(post.state, CommentState::kApproved);
  EXPECT_THAT(post.flags, IsEmpty());
}

TEST(ModerationRulesTest, TrustedAuthorsOffByDefault) {
  const ModerationRules rules = Rules();
  EXPECT_FALSE(rules.trust_returning_authors);
  const ContentFindings findings =
      InspectContent(rules, {"Ada", "", "A fine comment."});
  EXPECT_FALSE(NeedsAuthorHistory(rules, findings));
  EXPECT_EQ(Decide(rules, findings, 100).state, CommentState::kPending);
}

TEST(ModerationRulesTest, TrustedAuthorApprovedFromTheThreshold) {
  ModerationRules rules = Rules();
  rules.trust_returning_authors = true;
  const ContentFindings findings =
      InspectContent(rules, {"Ada", "", "A fine comment."});
  ASSERT_TRUE(NeedsAuthorHistory(rules, findings));
  ModerationDecision one = Decide(rules, findings, 1);
  EXPECT_EQ(one.state, CommentState::kPending);
  EXPECT_THAT(one.flags, IsEmpty());
  ModerationDecision two = Decide(rules, findings, 2);
  EXPECT_EQ(two.state, CommentState::kApproved);
  EXPECT_THAT(two.flags, ElementsAre("trusted_author"));

  rules.trusted_min_approved = 3;
  EXPECT_EQ(Decide(rules, findings, 2).state, CommentState::kPending);
}

TEST(ModerationRulesTest, TrustNeverOverridesAHoldOrABlock) {
  ModerationRules rules = Rules();
  rules.trust_returning_authors = true;
  for (const char* body :
       {"casino", "lawsuit", "https://a.example https://b.example"}) {
    const ContentFindings findings = InspectContent(rules, {"Ada", "", body});
    EXPECT_FALSE(NeedsAuthorHistory(rules, findings)) << body;
    EXPECT_NE(Decide(rules, findings, 50).state, CommentState::kApproved)
        << body;
  }
}

TEST(ModerationRulesTest, TrustIsMootInPostModeration) {
  ModerationRules rules = Rules(ModerationMode::kPostModeration);
  rules.trust_returning_authors = true;
  const ContentFindings findings =
      InspectContent(rules, {"Ada", "", "A fine comment."});
  EXPECT_FALSE(NeedsAuthorHistory(rules, findings));
  EXPECT_EQ(Decide(rules, findings, 0).state, CommentState::kApproved);
}

TEST(ModerationRulesTest, ConfusableNameIsHeldAndFlaggedEvenInPostModeration) {
  const ModerationRules rules = Rules(ModerationMode::kPostModeration);
  // "Pаypal" with a Cyrillic "а": accepted, but not published at once.
  ModerationDecision spoof =
      Judge(rules, "A fine comment.", "", "P\u0430ypal Support");
  EXPECT_EQ(spoof.state, CommentState::kPending);
  EXPECT_THAT(spoof.flags, ElementsAre("confusable_name"));
  EXPECT_EQ(std::string(kConfusableNameFlag), "confusable_name");

  // A name in one script, whichever, is not.
  for (const std::string name :
       {"Paypal Support", "\u0418\u0432\u0430\u043d", "\u674e\u5c0f\u9f8d"}) {
    ModerationDecision plain = Judge(rules, "A fine comment.", "", name);
    EXPECT_EQ(plain.state, CommentState::kApproved) << name;
    EXPECT_THAT(plain.flags, IsEmpty()) << name;
  }
}

TEST(ModerationRulesTest, ConfusableNameKeepsOtherFlagsAndIsNeverTrusted) {
  ModerationRules rules = Rules();
  rules.trust_returning_authors = true;
  const ContentFindings findings = InspectContent(
      rules, {"\u0391da", "", "A lawsuit, see https://a.example"});
  EXPECT_TRUE(findings.confusable_name);
  EXPECT_FALSE(NeedsAuthorHistory(rules, findings));
  ModerationDecision decision = Decide(rules, findings, 100);
  EXPECT_EQ(decision.state, CommentState::kPending);
  EXPECT_THAT(decision.flags, ElementsAre("hold_word", "confusable_name"));

  const ContentFindings only_name =
      InspectContent(rules, {"\u0391da", "", "A fine comment."});
  EXPECT_FALSE(NeedsAuthorHistory(rules, only_name));
  EXPECT_EQ(Decide(rules, only_name, 100).state, CommentState::kPending);
}

}  // namespace
}  // namespace comments::domain
