// The submission use case over in-memory fakes: validation (reply target
// included), the admission decisions, replays by request_id, and that
// nothing is pruned on the request path. No database, no gRPC.
#include "service/app/submit_comment.h"

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "service/domain/admission_findings.h"
#include "service/security/lookup_keys.h"
#include "tests/support/fake_clock.h"
#include "tests/support/fake_comment_repository.h"
#include "tests/support/fake_submission_store.h"
#include "tests/support/status_details.h"
#include "tests/support/submission_policies.h"

namespace comments::app {
namespace {

// Every event the use case reports, in order.
class RecordingSubmissionObserver final : public SubmissionObserver {
 public:
  void OnAccepted(const SubmissionAccepted& event) override {
    accepted.push_back(event);
  }
  void OnRefused(const SubmissionRefused& event) override {
    refused.push_back(event.rule);
  }
  void OnHeld(const SubmissionHeld& event) override {
    held.push_back(event.rule);
  }
  void OnVerdict(const ModerationVerdict& event) override {
    verdicts.push_back(event.rule + ":" +
                       std::string(domain::StateName(event.outcome)));
  }

  std::vector<SubmissionAccepted> accepted;
  std::vector<std::string> refused;
  std::vector<std::string> held;
  std::vector<std::string> verdicts;
};

using ::testing::ElementsAre;
using testing::ErrorReason;
using ::testing::IsEmpty;
using testing::NoFloodPolicy;
using testing::ViolatedFields;

constexpr char kThread[] = "article";
constexpr char kReaderIp[] = "203.0.113.7";

std::vector<security::Key> TestKeys(char fill) {
  return {{"k1", std::string(security::kKeyBytes, fill)}};
}

class SubmitCommentTest : public ::testing::Test {
 protected:
  SubmitCommentTest()
      : cipher_(*security::EmailCipher::Create(TestKeys('e'))),
        hasher_(*security::KeyedHasher::Create(TestKeys('h'))),
        store_(&comments_) {}

  // The use case under `policy`; events land in observer_, the accepted
  // ones also in events_.
  void Use(SubmissionPolicy policy) {
    SubmitOptions options;
    options.policy = std::move(policy);
    submit_.emplace(&comments_, &store_, &cipher_, &hasher_, &clock_,
                    std::move(options), &observer_);
  }

  static SubmissionDraft Draft(const std::string& email,
                               const std::string& body,
                               const std::string& name = "Ada") {
    SubmissionDraft draft;
    draft.input.parent = absl::StrCat("threads/", kThread);
    draft.input.author_name = name;
    draft.input.author_email = email;
    draft.input.body = body;
    draft.caller.client_ip = kReaderIp;
    draft.caller.user_agent = "TestBrowser/1.0";
    return draft;
  }

  absl::StatusOr<storage::CreateResult> Submit(const SubmissionDraft& draft) {
    return submit_->Submit(draft, deadline_);
  }

  // The stored row of comment `id`.
  testing::FakeCommentRepository::Row Stored(const std::string& id) const {
    for (const testing::FakeCommentRepository::Row& row : comments_.rows()) {
      if (row.record.id == id) return row;
    }
    ADD_FAILURE() << "no row " << id;
    return {};
  }

  const absl::Time deadline_ = absl::FromUnixSeconds(1800000000);
  testing::FakeClock clock_;
  security::EmailCipher cipher_;
  security::KeyedHasher hasher_;
  testing::FakeCommentRepository comments_;
  testing::FakeSubmissionStore store_;
  std::optional<SubmitComment> submit_;
  RecordingSubmissionObserver observer_;
  const std::vector<SubmissionAccepted>& events_ = observer_.accepted;
};

TEST_F(SubmitCommentTest, EveryViolationComesBackTogetherWithTheReplyTarget) {
  Use(NoFloodPolicy());
  SubmissionDraft draft = Draft("not an address", "A fine comment.", "");
  // A well-formed name of a comment that does not exist.
  draft.input.reply_to = absl::StrCat(
      "threads/", kThread, "/comments/00000000-0000-4000-8000-000000000001");
  absl::StatusOr<storage::CreateResult> result = Submit(draft);
  ASSERT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ErrorReason(result.status()), "INVALID_COMMENT");
  EXPECT_THAT(ViolatedFields(result.status()),
              ElementsAre("comment.author_name", "comment.author_email",
                          "comment.reply_to"));
  EXPECT_THAT(comments_.rows(), IsEmpty());
  EXPECT_THAT(events_, IsEmpty());
}

TEST_F(SubmitCommentTest, ReplyToAnUnapprovedCommentIsInvalidToAnApprovedOk) {
  Use(NoFloodPolicy());
  auto parent = Submit(Draft("ada@example.org", "The first comment."));
  ASSERT_TRUE(parent.ok()) << parent.status();
  SubmissionDraft reply = Draft("bob@example.org", "A reply to it.");
  reply.input.reply_to =
      absl::StrCat("threads/", kThread, "/comments/", parent->comment.id);

  auto held = Submit(reply);
  EXPECT_EQ(held.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ViolatedFields(held.status()), ElementsAre("comment.reply_to"));

  ASSERT_TRUE(
      comments_.SetState(parent->comment.id, domain::CommentState::kApproved));
  auto replied = Submit(reply);
  ASSERT_TRUE(replied.ok()) << replied.status();
  EXPECT_EQ(replied->comment.reply_to_id, parent->comment.id);
}

TEST_F(SubmitCommentTest, ReplyTargetLookupFailurePropagatesAndStoresNothing) {
  Use(NoFloodPolicy());
  SubmissionDraft reply = Draft("bob@example.org", "A reply to it.");
  reply.input.reply_to = absl::StrCat(
      "threads/", kThread, "/comments/00000000-0000-4000-8000-000000000001");
  comments_.FailWith(absl::UnavailableError("database down"));
  EXPECT_EQ(Submit(reply).status().code(), absl::StatusCode::kUnavailable);
  comments_.Recover();
  EXPECT_THAT(comments_.planned(), IsEmpty());
}

TEST_F(SubmitCommentTest, PreModerationHoldsAndStoresWhatWasPlanned) {
  Use(NoFloodPolicy());
  auto result = Submit(Draft("Ada@Example.org", "A fine comment."));
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_TRUE(result->created);
  EXPECT_EQ(result->comment.state, domain::CommentState::kPending);
  EXPECT_THAT(result->comment.flags, IsEmpty());
  const testing::FakeCommentRepository::Row row = Stored(result->comment.id);
  EXPECT_EQ(row.record.client_ip, kReaderIp);
  EXPECT_EQ(row.record.user_agent, "TestBrowser/1.0");
  EXPECT_EQ(row.email_hash, security::AuthorHash(hasher_, "ada@example.org"));
  EXPECT_EQ(*cipher_.Decrypt(row.record.email_ciphertext, row.record.id),
            "Ada@Example.org");
  EXPECT_EQ(comments_.last_deadline(), deadline_);
  ASSERT_EQ(events_.size(), 1u);
  EXPECT_EQ(events_[0].comment_id, result->comment.id);
  EXPECT_EQ(events_[0].thread, kThread);
  EXPECT_EQ(events_[0].state, domain::CommentState::kPending);
  EXPECT_TRUE(events_[0].created);
}

TEST_F(SubmitCommentTest, PostModerationPublishesUnlessAHoldWordFlagsIt) {
  Use(NoFloodPolicy(domain::ModerationMode::kPostModeration));
  auto published = Submit(Draft("ada@example.org", "A fine comment."));
  ASSERT_TRUE(published.ok()) << published.status();
  EXPECT_EQ(published->comment.state, domain::CommentState::kApproved);

  auto held = Submit(Draft("ada@example.org", "I will file a lawsuit."));
  ASSERT_TRUE(held.ok()) << held.status();
  EXPECT_EQ(held->comment.state, domain::CommentState::kPending);
  EXPECT_THAT(held->comment.flags, ElementsAre(domain::kHoldWordFlag));
  EXPECT_THAT(observer_.verdicts,
              ElementsAre("mode:APPROVED", "hold_word:PENDING"));
}

TEST_F(SubmitCommentTest, BlockedWordIsStoredSpamButAnsweredPending) {
  Use(NoFloodPolicy(domain::ModerationMode::kPostModeration));
  auto result = Submit(Draft("ada@example.org", "Visit my casino now."));
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->comment.state, domain::CommentState::kPending);
  EXPECT_EQ(Stored(result->comment.id).record.state,
            domain::CommentState::kSpam);
  EXPECT_THAT(Stored(result->comment.id).record.flags,
              ElementsAre(domain::kBlockedWordFlag));
  // Operators see what was stored.
  ASSERT_EQ(events_.size(), 1u);
  EXPECT_EQ(events_[0].state, domain::CommentState::kSpam);
  EXPECT_THAT(observer_.verdicts, ElementsAre("blocked_word:SPAM"));
  EXPECT_THAT(observer_.held, IsEmpty());
}

TEST_F(SubmitCommentTest, TrustedAuthorIsApprovedAfterTwoApprovedComments) {
  SubmissionPolicy policy = NoFloodPolicy();
  policy.rules.trust_returning_authors = true;
  Use(policy);
  for (const char* body : {"First comment.", "Second comment."}) {
    auto earlier = Submit(Draft("ada@example.org", body));
    ASSERT_TRUE(earlier.ok()) << earlier.status();
    EXPECT_EQ(earlier->comment.state, domain::CommentState::kPending);
    ASSERT_TRUE(comments_.SetState(earlier->comment.id,
                                   domain::CommentState::kApproved));
  }
  // Same address in another case: the hash is of the normalised address.
  auto trusted = Submit(Draft("ADA@example.org", "Third comment."));
  ASSERT_TRUE(trusted.ok()) << trusted.status();
  EXPECT_EQ(trusted->comment.state, domain::CommentState::kApproved);
  EXPECT_THAT(trusted->comment.flags, ElementsAre(domain::kTrustedAuthorFlag));
  // Another name with the same address is someone else.
  auto stranger = Submit(Draft("ada@example.org", "Fourth comment.", "Eve"));
  ASSERT_TRUE(stranger.ok()) << stranger.status();
  EXPECT_EQ(stranger->comment.state, domain::CommentState::kPending);
}

TEST_F(SubmitCommentTest, AuthorHistoryIsReadOnlyWhenTrustIsOn) {
  Use(NoFloodPolicy());
  ASSERT_TRUE(Submit(Draft("ada@example.org", "A fine comment.")).ok());
  EXPECT_EQ(store_.history_reads(), 0);

  SubmissionPolicy trusting = NoFloodPolicy();
  trusting.rules.trust_returning_authors = true;
  Use(trusting);
  store_.FailHistoryWith(absl::UnavailableError("database down"));
  EXPECT_EQ(
      Submit(Draft("ada@example.org", "Another comment.")).status().code(),
      absl::StatusCode::kUnavailable);
  EXPECT_EQ(store_.history_reads(), 1);
  EXPECT_EQ(comments_.planned().size(), 1u);
}

TEST_F(SubmitCommentTest, RepeatedBodyOnTheThreadIsHeldAndFlagged) {
  Use(NoFloodPolicy(domain::ModerationMode::kPostModeration));
  ASSERT_TRUE(Submit(Draft("ada@example.org", "Same words here.")).ok());
  // Another author, other case and spacing: still the same body.
  auto duplicate = Submit(Draft("bob@example.org", "same   WORDS here."));
  ASSERT_TRUE(duplicate.ok()) << duplicate.status();
  EXPECT_EQ(duplicate->comment.state, domain::CommentState::kPending);
  EXPECT_THAT(duplicate->comment.flags, ElementsAre(domain::kDuplicateFlag));
  EXPECT_THAT(observer_.held, ElementsAre(domain::kDuplicateFlag));
  // Auto-moderation approved both; the duplicate check held the second.
  EXPECT_THAT(observer_.verdicts,
              ElementsAre("mode:APPROVED", "mode:APPROVED"));
}

TEST_F(SubmitCommentTest, MailboxOverItsIntervalIsFlaggedNotRefused) {
  SubmissionPolicy policy =
      NoFloodPolicy(domain::ModerationMode::kPostModeration);
  policy.flood.min_interval = absl::Seconds(15);
  Use(policy);
  SubmissionDraft first = Draft("ada@example.org", "First comment.");
  first.caller.client_ip = "198.51.100.1";
  ASSERT_TRUE(Submit(first).ok());
  // A "+tag" is the same mailbox; another network is not refused.
  clock_.Advance(absl::Seconds(14));
  SubmissionDraft second = Draft("ada+news@example.org", "Second comment.");
  second.caller.client_ip = "198.51.100.2";
  auto flooded = Submit(second);
  ASSERT_TRUE(flooded.ok()) << flooded.status();
  // Only flagged: holding it would answer a guessed address differently.
  EXPECT_EQ(flooded->comment.state, domain::CommentState::kApproved);
  EXPECT_THAT(flooded->comment.flags, ElementsAre(domain::kMailboxFloodFlag));
  EXPECT_THAT(observer_.held, ElementsAre(domain::kMailboxFloodFlag));

  clock_.Advance(absl::Seconds(1));
  SubmissionDraft third = Draft("ada@example.org", "Third comment.");
  third.caller.client_ip = "198.51.100.3";
  auto later = Submit(third);
  ASSERT_TRUE(later.ok()) << later.status();
  EXPECT_THAT(later->comment.flags, IsEmpty());
}

TEST_F(SubmitCommentTest, NetworkOverItsLimitIsRefusedAndNothingStored) {
  SubmissionPolicy policy = NoFloodPolicy();
  policy.flood.min_interval = absl::Seconds(15);
  Use(policy);
  ASSERT_TRUE(Submit(Draft("ada@example.org", "First comment.")).ok());
  auto refused = Submit(Draft("bob@example.org", "Second comment."));
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(ErrorReason(refused.status()), "RATE_LIMITED");
  EXPECT_EQ(comments_.rows().size(), 1u);
  EXPECT_EQ(events_.size(), 1u);
  EXPECT_THAT(observer_.refused, ElementsAre(kClientNetworkRule));
}

TEST_F(SubmitCommentTest, BothLimitRowsArePlannedWithAnInterval) {
  SubmissionPolicy policy = NoFloodPolicy();
  policy.flood.min_interval = absl::Seconds(15);
  Use(policy);
  ASSERT_TRUE(Submit(Draft("ada@example.org", "A fine comment.")).ok());
  ASSERT_EQ(comments_.planned().size(), 1u);
  const storage::NewComment planned = comments_.planned()[0];
  ASSERT_TRUE(planned.admission.has_value());
  EXPECT_TRUE(planned.admission->network.has_value());
  EXPECT_TRUE(planned.admission->mailbox.has_value());
}

TEST_F(SubmitCommentTest, NoLimitRowIsPlannedWithBothLimitsOff) {
  Use(NoFloodPolicy());
  ASSERT_TRUE(Submit(Draft("ada@example.org", "A fine comment.")).ok());
  ASSERT_EQ(comments_.planned().size(), 1u);
  const storage::NewComment planned = comments_.planned()[0];
  ASSERT_TRUE(planned.admission.has_value());
  EXPECT_FALSE(planned.admission->network.has_value());
  // The mailbox's only limit is the interval, which is off.
  EXPECT_FALSE(planned.admission->mailbox.has_value());
  // The duplicate check still runs.
  EXPECT_FALSE(planned.admission->body_hashes.empty());
  EXPECT_EQ(planned.admission->clock, &clock_);
}

TEST_F(SubmitCommentTest, RepeatedRequestIdReplaysTheOriginal) {
  Use(NoFloodPolicy());
  SubmissionDraft draft = Draft("ada@example.org", "A fine comment.");
  draft.input.request_id = "7c9e6679-7425-40de-944b-e07fc1f90ae7";
  auto first = Submit(draft);
  ASSERT_TRUE(first.ok()) << first.status();
  auto retry = Submit(draft);
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_FALSE(retry->created);
  EXPECT_EQ(retry->comment.id, first->comment.id);
  EXPECT_EQ(comments_.rows().size(), 1u);
  ASSERT_EQ(events_.size(), 2u);
  EXPECT_FALSE(events_[1].created);
  EXPECT_EQ(events_[1].comment_id, first->comment.id);
  // The replay is no new verdict.
  EXPECT_EQ(observer_.verdicts.size(), 1u);

  draft.input.body = "Other words.";
  auto reused = Submit(draft);
  EXPECT_EQ(reused.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(ErrorReason(reused.status()), "REQUEST_ID_REUSED");
}

TEST_F(SubmitCommentTest, NothingIsPrunedOnTheRequestPath) {
  SubmissionPolicy policy = NoFloodPolicy();
  policy.flood.min_interval = absl::Seconds(15);
  Use(policy);
  for (int i = 0; i < 3; ++i) {
    SubmissionDraft draft =
        Draft(absl::StrCat("reader", i, "@example.org"), "A fine comment.");
    draft.caller.client_ip = absl::StrCat("198.51.100.", i + 1);
    ASSERT_TRUE(Submit(draft).ok());
    clock_.Advance(absl::Hours(1));
  }
  EXPECT_THAT(store_.prunes(), IsEmpty());
  EXPECT_EQ(comments_.limit_rows(), 6u);
}

TEST(SubmissionObserversTest, EveryEventReachesEachObserverInOrder) {
  RecordingSubmissionObserver first;
  RecordingSubmissionObserver second;
  SubmissionObservers both({&first, &second});
  both.OnAccepted({"id", kThread, domain::CommentState::kApproved, true});
  both.OnRefused({});
  both.OnHeld({domain::kDuplicateFlag, domain::CommentState::kPending});
  both.OnVerdict({kModeRule, domain::CommentState::kApproved});
  for (const RecordingSubmissionObserver* observer : {&first, &second}) {
    ASSERT_EQ(observer->accepted.size(), 1u);
    EXPECT_EQ(observer->accepted[0].comment_id, "id");
    EXPECT_THAT(observer->refused, ElementsAre(kClientNetworkRule));
    EXPECT_THAT(observer->held, ElementsAre(domain::kDuplicateFlag));
    EXPECT_THAT(observer->verdicts, ElementsAre("mode:APPROVED"));
  }
}

}  // namespace
}  // namespace comments::app
