// The planner's output, field by field: the complete comment to insert.
#include "service/app/comment_planner.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "service/security/lookup_keys.h"
#include "tests/support/fake_clock.h"

namespace comments::app {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr char kId[] = "0b7e5d3c-8a51-4c7e-9d2f-3f1a6b0c9e42";

domain::ValidComment Valid() {
  domain::ValidComment valid;
  valid.thread = "article";
  valid.author_name = "Ada";
  valid.author_email = "Ada+News@Example.org";
  valid.normalized_email = "ada+news@example.org";
  valid.author_url = "https://ada.example.org";
  valid.body = "A fine comment.";
  valid.reply_to_id = "5f0c2b8e-1d3a-4e6f-8a9b-0c1d2e3f4a5b";
  valid.request_id = "7c9e6679-7425-40de-944b-e07fc1f90ae7";
  return valid;
}

Admission HeldWithChecks(const Clock* clock) {
  Admission admission;
  admission.decision.state = domain::CommentState::kSpam;
  admission.decision.flags = {"blocked_word", "links"};
  admission.checks.clock = clock;
  admission.checks.body_hashes = {"body-hash"};
  admission.checks.mailbox = storage::LimitKey{"mailbox", {}};
  return admission;
}

class CommentPlannerTest : public ::testing::Test {
 protected:
  // Two hash keys: "h2" is current, "h1" an older one still loaded.
  CommentPlannerTest()
      : cipher_(*security::EmailCipher::Create(
            {{"e1", std::string(security::kKeyBytes, 'e')}})),
        hasher_(*security::KeyedHasher::Create(
            {{"h1", std::string(security::kKeyBytes, '1')},
             {"h2", std::string(security::kKeyBytes, '2')}})) {}

  testing::FakeClock clock_;
  security::EmailCipher cipher_;
  security::KeyedHasher hasher_;
};

TEST_F(CommentPlannerTest, BuildsTheWholeComment) {
  const Caller caller = {"203.0.113.7", "TestBrowser/1.0"};
  const storage::NewComment comment = PlanComment(
      kId, Valid(), caller, HeldWithChecks(&clock_), cipher_, hasher_);

  EXPECT_EQ(comment.id, kId);
  EXPECT_EQ(comment.thread, "article");
  EXPECT_EQ(comment.author_name, "Ada");
  EXPECT_EQ(comment.author_url, "https://ada.example.org");
  EXPECT_EQ(comment.body, "A fine comment.");
  EXPECT_EQ(comment.reply_to_id, "5f0c2b8e-1d3a-4e6f-8a9b-0c1d2e3f4a5b");
  EXPECT_EQ(comment.state, domain::CommentState::kSpam);
  EXPECT_THAT(comment.flags, ElementsAre("blocked_word", "links"));
  // The address as typed, sealed to this comment's id.
  EXPECT_EQ(*cipher_.Decrypt(comment.email_ciphertext, kId),
            "Ada+News@Example.org");
  EXPECT_FALSE(cipher_.Decrypt(comment.email_ciphertext, "another-id").ok());
  EXPECT_EQ(comment.email_hash,
            security::KeyedEmailHash(hasher_, security::EmailLookup::kAuthor,
                                     "ada+news@example.org")
                .current);
  EXPECT_EQ(comment.body_hash, security::BodyHash(hasher_, "A fine comment."));
  EXPECT_EQ(comment.request_id, "7c9e6679-7425-40de-944b-e07fc1f90ae7");
  const security::KeyedHashes fingerprint =
      security::Fingerprint(hasher_, Valid());
  EXPECT_EQ(comment.request_fingerprint, fingerprint.current);
  EXPECT_EQ(comment.older_request_fingerprints, fingerprint.older);
  EXPECT_EQ(comment.older_request_fingerprints.size(), 1u);
  EXPECT_EQ(comment.client_ip, "203.0.113.7");
  EXPECT_EQ(comment.user_agent, "TestBrowser/1.0");
  ASSERT_TRUE(comment.admission.has_value());
  EXPECT_EQ(comment.admission->clock, &clock_);
  EXPECT_THAT(comment.admission->body_hashes, ElementsAre("body-hash"));
  ASSERT_TRUE(comment.admission->mailbox.has_value());
  EXPECT_EQ(comment.admission->mailbox->key, "mailbox");
}

TEST_F(CommentPlannerTest, HashesAreUnderTheCurrentKey) {
  const storage::NewComment comment =
      PlanComment(kId, Valid(), {}, HeldWithChecks(&clock_), cipher_, hasher_);
  const security::KeyedHasher current_only = *security::KeyedHasher::Create(
      {{"h2", std::string(security::kKeyBytes, '2')}});
  EXPECT_EQ(comment.email_hash,
            security::AuthorHash(current_only, "ada+news@example.org"));
  EXPECT_EQ(comment.body_hash,
            security::BodyHash(current_only, "A fine comment."));
}

TEST_F(CommentPlannerTest, NoRequestIdMeansNoFingerprint) {
  domain::ValidComment valid = Valid();
  valid.request_id.clear();
  const storage::NewComment comment =
      PlanComment(kId, valid, {}, HeldWithChecks(&clock_), cipher_, hasher_);
  EXPECT_EQ(comment.request_id, "");
  EXPECT_EQ(comment.request_fingerprint, "");
  EXPECT_THAT(comment.older_request_fingerprints, IsEmpty());
  EXPECT_EQ(comment.client_ip, "");
  EXPECT_EQ(comment.user_agent, "");
}

TEST_F(CommentPlannerTest, EachPlanSealsTheAddressAfresh) {
  const storage::NewComment first =
      PlanComment(kId, Valid(), {}, HeldWithChecks(&clock_), cipher_, hasher_);
  const storage::NewComment second =
      PlanComment(kId, Valid(), {}, HeldWithChecks(&clock_), cipher_, hasher_);
  EXPECT_NE(first.email_ciphertext, second.email_ciphertext);
  EXPECT_EQ(first.email_hash, second.email_hash);
}

}  // namespace
}  // namespace comments::app
