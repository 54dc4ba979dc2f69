// The flags and holds of what a submission's transaction finds: a repeated
// body is held in every mode; a mailbox over its limit only withdraws trust.
#include "service/domain/admission_findings.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "service/domain/mailbox.h"
#include "service/domain/moderation_rules.h"

namespace comments::domain {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

struct Outcome {
  CommentState state;
  std::vector<std::string> flags;
};

constexpr AdmissionFindings kDuplicate{/*duplicate_body=*/true,
                                       /*mailbox_over_limit=*/false};
constexpr AdmissionFindings kMailboxOver{/*duplicate_body=*/false,
                                         /*mailbox_over_limit=*/true};

Outcome Apply(AdmissionFindings findings, CommentState state,
              std::vector<std::string> flags = {}) {
  ApplyAdmissionFindings(findings, &state, &flags);
  return {state, flags};
}

TEST(AdmissionFindingsTest, NothingFoundChangesNothing) {
  Outcome approved = Apply({}, CommentState::kApproved);
  EXPECT_EQ(approved.state, CommentState::kApproved);
  EXPECT_THAT(approved.flags, IsEmpty());
  Outcome trusted = Apply({}, CommentState::kApproved, {kTrustedAuthorFlag});
  EXPECT_EQ(trusted.state, CommentState::kApproved);
  EXPECT_THAT(trusted.flags, ElementsAre(kTrustedAuthorFlag));
}

TEST(AdmissionFindingsTest, RepeatedBodyIsHeldAndFlaggedInEveryMode) {
  Outcome post = Apply(kDuplicate, CommentState::kApproved);
  EXPECT_EQ(post.state, CommentState::kPending);
  EXPECT_THAT(post.flags, ElementsAre(kDuplicateFlag));
  Outcome trusted =
      Apply(kDuplicate, CommentState::kApproved, {kTrustedAuthorFlag});
  EXPECT_EQ(trusted.state, CommentState::kPending);
  EXPECT_THAT(trusted.flags, ElementsAre(kDuplicateFlag));
  Outcome pending = Apply(kDuplicate, CommentState::kPending);
  EXPECT_EQ(pending.state, CommentState::kPending);
  EXPECT_THAT(pending.flags, ElementsAre(kDuplicateFlag));
  // A blocked word still decides.
  Outcome spam = Apply(kDuplicate, CommentState::kSpam, {kBlockedWordFlag});
  EXPECT_EQ(spam.state, CommentState::kSpam);
  EXPECT_THAT(spam.flags, ElementsAre(kBlockedWordFlag, kDuplicateFlag));
}

// Holding it would tell a stranger that the address posted moments ago.
TEST(AdmissionFindingsTest, MailboxOverLimitOnlyFlagsUnlessTrustApproved) {
  Outcome post = Apply(kMailboxOver, CommentState::kApproved);
  EXPECT_EQ(post.state, CommentState::kApproved);
  EXPECT_THAT(post.flags, ElementsAre(kMailboxFloodFlag));
  Outcome pending = Apply(kMailboxOver, CommentState::kPending);
  EXPECT_EQ(pending.state, CommentState::kPending);
  EXPECT_THAT(pending.flags, ElementsAre(kMailboxFloodFlag));

  Outcome trusted =
      Apply(kMailboxOver, CommentState::kApproved, {kTrustedAuthorFlag});
  EXPECT_EQ(trusted.state, CommentState::kPending);
  EXPECT_THAT(trusted.flags, ElementsAre(kMailboxFloodFlag));
}

TEST(MailboxAddressTest, LowerCasesTheWholeAddressAndDropsThePlusTag) {
  EXPECT_EQ(MailboxAddress("Ada+News@Example.ORG"), "ada@example.org");
  EXPECT_EQ(MailboxAddress("ADA@EXAMPLE.ORG"), "ada@example.org");
  EXPECT_EQ(MailboxAddress("ada+a+b@example.org"), "ada@example.org");
  EXPECT_EQ(MailboxAddress("ada+@example.org"), "ada@example.org");
  // Dots are a provider's business; a leading "+" leaves no local part.
  EXPECT_EQ(MailboxAddress("a.da@example.org"), "a.da@example.org");
  EXPECT_EQ(MailboxAddress("+ada@example.org"), "+ada@example.org");
}

}  // namespace
}  // namespace comments::domain
