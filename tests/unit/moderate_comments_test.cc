// The moderation use case over an in-memory repository: no database, no
// gRPC. What the API promises about decisions, batches, listings and
// erasure is checked here at the seam where it is decided.
#include "service/app/moderate_comments.h"

#include <string>
#include <tuple>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "service/app/moderation_observer.h"
#include "service/domain/comment_state.h"
#include "service/domain/names.h"
#include "service/security/key_file.h"
#include "service/security/keyed_hash.h"
#include "service/security/lookup_keys.h"
#include "service/security/page_token_cipher.h"
#include "tests/support/fake_moderation_repository.h"
#include "tests/support/status_details.h"

namespace comments::app {
namespace {

using ::comments::domain::CommentState;
using ::comments::domain::ModerationAction;
using ::comments::testing::ErrorReason;
using ::comments::testing::ViolatedFields;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;

constexpr char kThread[] = "launch-post";
constexpr char kEmail[] = "alice@example.com";

// The observer's events, as operators would see them.
class RecordingObserver final : public ModerationObserver {
 public:
  void OnCommentModerated(const CommentModerated& event) override {
    moderated.push_back(event);
  }
  void OnBatchModerated(const BatchModerated& event) override {
    batches.push_back(event);
  }
  void OnAuthorDataErased(const AuthorDataErased& event) override {
    erased.push_back(event);
  }
  std::vector<CommentModerated> moderated;
  std::vector<BatchModerated> batches;
  std::vector<AuthorDataErased> erased;
};

security::Key TestKey(const char* id, char fill) {
  return {id, std::string(security::kKeyBytes, fill)};
}

// A lower-case UUID unique to `n`.
std::string CommentId(int n) {
  return absl::StrCat("00000000-0000-4000-8000-", absl::StrFormat("%012d", n));
}

std::string NameOf(const std::string& id, const std::string& thread = kThread) {
  return domain::CommentResourceName(thread, id);
}

class ModerateCommentsTest : public ::testing::Test {
 protected:
  ModerateCommentsTest()
      : hasher_(*security::KeyedHasher::Create({TestKey("hash1", '\x11')})),
        tokens_(
            *security::PageTokenCipher::Create({TestKey("page1", '\x22')})) {
    options_.page_tokens = &tokens_;
    options_.max_batch_names = 5;
  }

  ModerateComments UseCase() {
    return ModerateComments(&repository_, &hasher_, &observer_, options_);
  }

  // A comment in `state` at version 1, by kEmail unless told.
  std::string Add(int n, CommentState state = CommentState::kPending,
                  const std::string& thread = kThread,
                  const std::string& email = kEmail) {
    storage::CommentRecord comment;
    comment.id = CommentId(n);
    comment.thread = thread;
    comment.author_name = "Alice";
    comment.body = "hello";
    comment.state = state;
    comment.email_ciphertext = "sealed";
    comment.client_ip = "192.0.2.1";
    repository_.AddComment(comment, security::AuthorHash(hasher_, email));
    return comment.id;
  }

  CommentState StateOf(const std::string& id) const {
    return repository_.Find(id)->state;
  }

  const ModeratorCaller caller_{"mod.alice",
                                absl::FromUnixSeconds(1'900'000'000)};
  testing::FakeModerationRepository repository_;
  RecordingObserver observer_;
  security::KeyedHasher hasher_;
  security::PageTokenCipher tokens_;
  ModerateCommentsOptions options_;
};

// ---- Every transition of the table in domain/moderation.h ----------------

struct TransitionCase {
  ModerationAction action;
  CommentState from;
  bool allowed;
};

class TransitionTest : public ModerateCommentsTest,
                       public ::testing::WithParamInterface<TransitionCase> {};

TEST_P(TransitionTest, FollowsTheTable) {
  const TransitionCase& c = GetParam();
  const std::string id = Add(1, c.from);
  ModerateComments moderate = UseCase();
  absl::StatusOr<storage::ModeratedRecord> record =
      moderate.Decide(caller_, {c.action, NameOf(id), "1", "why"});
  if (c.allowed) {
    ASSERT_TRUE(record.ok()) << record.status();
    const CommentState target = *domain::TargetState(c.action);
    EXPECT_EQ(record->comment.state, target);
    EXPECT_EQ(record->comment.version, 2);
    EXPECT_EQ(StateOf(id), target);
    ASSERT_THAT(record->history, SizeIs(1));
    EXPECT_EQ(record->history[0].from_state, c.from);
    EXPECT_EQ(record->history[0].to_state, target);
    EXPECT_EQ(record->history[0].reason, "why");
    ASSERT_THAT(observer_.moderated, SizeIs(1));
    EXPECT_EQ(observer_.moderated[0].state, target);
    EXPECT_EQ(observer_.moderated[0].action, c.action);
    EXPECT_EQ(observer_.moderated[0].comment_id, id);
  } else {
    EXPECT_EQ(record.status().code(), absl::StatusCode::kFailedPrecondition);
    EXPECT_EQ(ErrorReason(record.status()), "INVALID_TRANSITION");
    EXPECT_THAT(std::string(record.status().message()),
                HasSubstr(domain::StateName(c.from)));
    EXPECT_EQ(StateOf(id), c.from);
    EXPECT_EQ(repository_.Find(id)->version, 1);
    EXPECT_THAT(repository_.events(), IsEmpty());
    EXPECT_THAT(observer_.moderated, IsEmpty());
  }
}

INSTANTIATE_TEST_SUITE_P(
    AllActionsFromAllStates, TransitionTest,
    ::testing::Values(
        TransitionCase{ModerationAction::kApprove, CommentState::kPending,
                       true},
        TransitionCase{ModerationAction::kApprove, CommentState::kApproved,
                       false},
        TransitionCase{ModerationAction::kApprove, CommentState::kRejected,
                       true},
        TransitionCase{ModerationAction::kApprove, CommentState::kSpam, true},
        TransitionCase{ModerationAction::kReject, CommentState::kPending, true},
        TransitionCase{ModerationAction::kReject, CommentState::kApproved,
                       true},
        TransitionCase{ModerationAction::kReject, CommentState::kRejected,
                       false},
        TransitionCase{ModerationAction::kReject, CommentState::kSpam, false},
        TransitionCase{ModerationAction::kMarkSpam, CommentState::kPending,
                       true},
        TransitionCase{ModerationAction::kMarkSpam, CommentState::kApproved,
                       true},
        TransitionCase{ModerationAction::kMarkSpam, CommentState::kRejected,
                       true},
        TransitionCase{ModerationAction::kMarkSpam, CommentState::kSpam,
                       false}));

// ---- Single decisions -------------------------------------------------------

TEST_F(ModerateCommentsTest, StaleEtagIsAbortedAndChangesNothing) {
  const std::string id = Add(1);
  ModerateComments moderate = UseCase();
  absl::StatusOr<storage::ModeratedRecord> record = moderate.Decide(
      caller_, {ModerationAction::kApprove, NameOf(id), "7", ""});
  EXPECT_EQ(record.status().code(), absl::StatusCode::kAborted);
  EXPECT_EQ(ErrorReason(record.status()), "STALE_ETAG");
  EXPECT_EQ(StateOf(id), CommentState::kPending);
  EXPECT_THAT(observer_.moderated, IsEmpty());
}

TEST_F(ModerateCommentsTest, EmptyEtagSkipsTheVersionCheck) {
  const std::string id = Add(1);
  ModerateComments moderate = UseCase();
  ASSERT_TRUE(
      moderate.Decide(caller_, {ModerationAction::kReject, NameOf(id), "", ""})
          .ok());
  ASSERT_THAT(repository_.transitions(), SizeIs(1));
  EXPECT_FALSE(repository_.transitions()[0].expected_version.has_value());
}

TEST_F(ModerateCommentsTest, BadDecisionNamesEveryBadField) {
  ModerateComments moderate = UseCase();
  absl::StatusOr<storage::ModeratedRecord> record = moderate.Decide(
      caller_,
      {ModerationAction::kReject, "comments/nope", "not-an-etag", "bell\a"});
  EXPECT_EQ(record.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ErrorReason(record.status()), "INVALID_DECISION");
  EXPECT_THAT(ViolatedFields(record.status()),
              ElementsAre("name", "etag", "reason"));
  EXPECT_THAT(repository_.transitions(), IsEmpty());
}

TEST_F(ModerateCommentsTest, UnknownCommentOrOtherThreadIsNotFound) {
  const std::string id = Add(1);
  ModerateComments moderate = UseCase();
  EXPECT_EQ(moderate
                .Decide(caller_, {ModerationAction::kApprove,
                                  NameOf(CommentId(2)), "", ""})
                .status()
                .code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(moderate
                .Decide(caller_, {ModerationAction::kApprove,
                                  NameOf(id, "other-thread"), "", ""})
                .status()
                .code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(StateOf(id), CommentState::kPending);
}

TEST_F(ModerateCommentsTest, RecordsTheCallersIdentityAndDeadline) {
  const std::string id = Add(1);
  ModerateComments moderate = UseCase();
  absl::StatusOr<storage::ModeratedRecord> record = moderate.Decide(
      caller_, {ModerationAction::kApprove, NameOf(id), "1", ""});
  ASSERT_TRUE(record.ok()) << record.status();
  ASSERT_THAT(repository_.transitions(), SizeIs(1));
  EXPECT_EQ(repository_.transitions()[0].moderator, "mod.alice");
  EXPECT_EQ(repository_.last_deadline(), caller_.deadline);
  EXPECT_EQ(record->history[0].moderator, "mod.alice");
  ASSERT_THAT(observer_.moderated, SizeIs(1));
  EXPECT_EQ(observer_.moderated[0].moderator, "mod.alice");
  EXPECT_EQ(observer_.moderated[0].thread, kThread);
}

TEST_F(ModerateCommentsTest, GetChecksTheName) {
  const std::string id = Add(1, CommentState::kSpam);
  ModerateComments moderate = UseCase();
  absl::StatusOr<storage::ModeratedRecord> record =
      moderate.Get(caller_, NameOf(id));
  ASSERT_TRUE(record.ok()) << record.status();
  EXPECT_EQ(record->comment.state, CommentState::kSpam);
  absl::StatusOr<storage::ModeratedRecord> bad =
      moderate.Get(caller_, "threads/x");
  EXPECT_EQ(ErrorReason(bad.status()), "INVALID_NAME");
  EXPECT_THAT(ViolatedFields(bad.status()), ElementsAre("name"));
}

TEST_F(ModerateCommentsTest, RepositoryFailurePassesThrough) {
  const std::string id = Add(1);
  repository_.FailWith(absl::UnavailableError("database down"));
  ModerateComments moderate = UseCase();
  EXPECT_EQ(
      moderate.Decide(caller_, {ModerationAction::kApprove, NameOf(id), "", ""})
          .status()
          .code(),
      absl::StatusCode::kUnavailable);
  EXPECT_THAT(observer_.moderated, IsEmpty());
}

// ---- Batches ----------------------------------------------------------------

TEST_F(ModerateCommentsTest, BatchFailsOnlyTheBadNamesInRequestOrder) {
  const std::string first = Add(1);
  const std::string second = Add(2);
  ModerateComments moderate = UseCase();
  absl::StatusOr<BatchResults> results =
      moderate.Batch(caller_, {ModerationAction::kApprove,
                               {NameOf(second), "not-a-name", NameOf(first)},
                               "clean-up"});
  ASSERT_TRUE(results.ok()) << results.status();
  ASSERT_THAT(*results, SizeIs(3));
  ASSERT_TRUE((*results)[0].ok());
  EXPECT_EQ((*results)[0]->comment.id, second);
  EXPECT_EQ(ErrorReason((*results)[1].status()), "INVALID_NAME");
  EXPECT_THAT(ViolatedFields((*results)[1].status()), ElementsAre("names[1]"));
  ASSERT_TRUE((*results)[2].ok());
  EXPECT_EQ((*results)[2]->comment.id, first);
  EXPECT_EQ(StateOf(first), CommentState::kApproved);
  EXPECT_EQ(StateOf(second), CommentState::kApproved);
  EXPECT_EQ(repository_.batches(), 1);
  for (const storage::Transition& transition : repository_.transitions()) {
    EXPECT_EQ(transition.moderator, "mod.alice");
    EXPECT_EQ(transition.reason, "clean-up");
  }
  EXPECT_THAT(observer_.moderated, SizeIs(2));
  ASSERT_THAT(observer_.batches, SizeIs(1));
  EXPECT_EQ(observer_.batches[0].requested, 3);
  EXPECT_EQ(observer_.batches[0].changed, 2);
  EXPECT_EQ(observer_.batches[0].moderator, "mod.alice");
}

TEST_F(ModerateCommentsTest, BatchIllegalTransitionFailsOnlyItsOwnResult) {
  const std::string pending = Add(1);
  const std::string spam = Add(2, CommentState::kSpam);
  ModerateComments moderate = UseCase();
  absl::StatusOr<BatchResults> results = moderate.Batch(
      caller_,
      {ModerationAction::kReject, {NameOf(spam), NameOf(pending)}, ""});
  ASSERT_TRUE(results.ok()) << results.status();
  EXPECT_EQ((*results)[0].status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE((*results)[1].ok());
  EXPECT_EQ(StateOf(spam), CommentState::kSpam);
  EXPECT_EQ(StateOf(pending), CommentState::kRejected);
  EXPECT_EQ(observer_.batches[0].changed, 1);
}

TEST_F(ModerateCommentsTest, BatchNamingOneCommentTwiceAppliesItOnce) {
  const std::string id = Add(1);
  ModerateComments moderate = UseCase();
  absl::StatusOr<BatchResults> results = moderate.Batch(
      caller_, {ModerationAction::kApprove, {NameOf(id), NameOf(id)}, ""});
  ASSERT_TRUE(results.ok()) << results.status();
  ASSERT_THAT(*results, SizeIs(2));
  EXPECT_TRUE((*results)[0].ok());
  EXPECT_EQ((*results)[1].status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string((*results)[1].status().message()),
              HasSubstr("already APPROVED"));
  EXPECT_EQ(repository_.Find(id)->version, 2);
  EXPECT_THAT(repository_.events(), SizeIs(1));
}

TEST_F(ModerateCommentsTest, BatchRequestViolationsFailTheWholeCall) {
  Add(1);
  ModerateComments moderate = UseCase();
  absl::StatusOr<BatchResults> empty =
      moderate.Batch(caller_, {std::nullopt, {}, "bell\a"});
  EXPECT_EQ(empty.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ErrorReason(empty.status()), "INVALID_BATCH");
  EXPECT_THAT(ViolatedFields(empty.status()),
              ElementsAre("names", "action", "reason"));

  std::vector<std::string> too_many;
  for (int i = 0; i <= options_.max_batch_names; ++i) {
    too_many.push_back(NameOf(CommentId(1)));
  }
  absl::StatusOr<BatchResults> big =
      moderate.Batch(caller_, {ModerationAction::kApprove, too_many, ""});
  EXPECT_EQ(ErrorReason(big.status()), "INVALID_BATCH");
  EXPECT_THAT(ViolatedFields(big.status()), ElementsAre("names"));
  EXPECT_THAT(std::string(big.status().message()), Not(IsEmpty()));
  EXPECT_EQ(repository_.batches(), 0);
  EXPECT_EQ(StateOf(CommentId(1)), CommentState::kPending);
  EXPECT_THAT(observer_.batches, IsEmpty());
}

TEST_F(ModerateCommentsTest, BatchOfOnlyBadNamesTouchesNoStorage) {
  ModerateComments moderate = UseCase();
  absl::StatusOr<BatchResults> results =
      moderate.Batch(caller_, {ModerationAction::kApprove, {"a", "b"}, ""});
  ASSERT_TRUE(results.ok()) << results.status();
  EXPECT_THAT(ViolatedFields((*results)[0].status()), ElementsAre("names[0]"));
  EXPECT_THAT(ViolatedFields((*results)[1].status()), ElementsAre("names[1]"));
  EXPECT_EQ(repository_.batches(), 0);
  EXPECT_EQ(observer_.batches[0].changed, 0);
}

TEST_F(ModerateCommentsTest, BatchTransactionFailureIsTheCallsStatus) {
  const std::string id = Add(1);
  repository_.FailWith(absl::DeadlineExceededError("too slow"));
  ModerateComments moderate = UseCase();
  absl::StatusOr<BatchResults> results = moderate.Batch(
      caller_, {ModerationAction::kApprove, {NameOf(id), "bad"}, ""});
  EXPECT_EQ(results.status().code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_EQ(StateOf(id), CommentState::kPending);
  EXPECT_THAT(observer_.moderated, IsEmpty());
  EXPECT_THAT(observer_.batches, IsEmpty());
}

// ---- The queue --------------------------------------------------------------

TEST_F(ModerateCommentsTest, QueuePagesRoundTripTheirTokens) {
  for (int n = 1; n <= 5; ++n) Add(n);
  Add(6, CommentState::kApproved);
  Add(7, CommentState::kPending, "other-thread");
  ModerateComments moderate = UseCase();
  QueueListing listing;
  listing.parent = domain::ThreadName(kThread);
  listing.page.page_size = 2;
  std::vector<std::string> seen;
  for (int page_number = 0; page_number < 3; ++page_number) {
    absl::StatusOr<QueueListingPage> page =
        moderate.ListQueue(caller_, listing);
    ASSERT_TRUE(page.ok()) << page.status();
    EXPECT_EQ(page->total_size, 5);
    for (const storage::ModeratedRecord& record : page->comments) {
      seen.push_back(record.comment.id);
    }
    EXPECT_EQ(page->next_page_token.empty(), page_number == 2);
    listing.page.page_token = page->next_page_token;
  }
  EXPECT_THAT(seen, ElementsAre(CommentId(1), CommentId(2), CommentId(3),
                                CommentId(4), CommentId(5)));
  EXPECT_EQ(repository_.last_deadline(), caller_.deadline);
}

TEST_F(ModerateCommentsTest, QueueListsTheStateAskedFor) {
  Add(1);
  Add(2, CommentState::kSpam);
  ModerateComments moderate = UseCase();
  QueueListing listing;
  listing.state = CommentState::kSpam;
  absl::StatusOr<QueueListingPage> page = moderate.ListQueue(caller_, listing);
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_THAT(page->comments, SizeIs(1));
  EXPECT_EQ(page->comments[0].comment.id, CommentId(2));
  EXPECT_TRUE(page->next_page_token.empty());
}

TEST_F(ModerateCommentsTest, QueueRefusesBadFiltersNamingBoth) {
  ModerateComments moderate = UseCase();
  QueueListing listing;
  listing.unknown_state = true;
  listing.parent = "threads/";
  absl::StatusOr<QueueListingPage> page = moderate.ListQueue(caller_, listing);
  EXPECT_EQ(page.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ErrorReason(page.status()), "INVALID_QUEUE_REQUEST");
  EXPECT_THAT(ViolatedFields(page.status()), ElementsAre("state", "parent"));
  EXPECT_THAT(repository_.queue_queries(), IsEmpty());
}

TEST_F(ModerateCommentsTest, QueueRefusesBadOrForeignTokens) {
  for (int n = 1; n <= 3; ++n) Add(n);
  ModerateComments moderate = UseCase();
  QueueListing listing;
  listing.page.page_size = 1;
  absl::StatusOr<QueueListingPage> first = moderate.ListQueue(caller_, listing);
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_FALSE(first->next_page_token.empty());

  QueueListing tampered = listing;
  tampered.page.page_token = first->next_page_token + "x";
  absl::StatusOr<QueueListingPage> bad = moderate.ListQueue(caller_, tampered);
  EXPECT_EQ(ErrorReason(bad.status()), "INVALID_PAGE_TOKEN");
  EXPECT_THAT(ViolatedFields(bad.status()), ElementsAre("page_token"));

  // A token of the PENDING listing does not page the SPAM one.
  QueueListing other = listing;
  other.state = CommentState::kSpam;
  other.page.page_token = first->next_page_token;
  EXPECT_EQ(ErrorReason(moderate.ListQueue(caller_, other).status()),
            "INVALID_PAGE_TOKEN");
}

TEST_F(ModerateCommentsTest, ListingsWithoutPageTokensAreInternal) {
  options_.page_tokens = nullptr;
  ModerateComments moderate = UseCase();
  EXPECT_EQ(moderate.ListQueue(caller_, {}).status().code(),
            absl::StatusCode::kInternal);
  EXPECT_EQ(moderate.ListEvents(caller_, {}).status().code(),
            absl::StatusCode::kInternal);
}

// ---- The audit trail
// ---------------------------------------------------------

TEST_F(ModerateCommentsTest, EventPagesRoundTripTheirTokens) {
  const std::string first = Add(1);
  const std::string second = Add(2);
  ModerateComments moderate = UseCase();
  ASSERT_TRUE(moderate
                  .Batch(caller_, {ModerationAction::kApprove,
                                   {NameOf(first), NameOf(second)},
                                   ""})
                  .ok());
  ASSERT_TRUE(moderate
                  .Decide(caller_, {ModerationAction::kReject, NameOf(first),
                                    "", "changed my mind"})
                  .ok());

  EventListing listing;
  listing.page.page_size = 2;
  absl::StatusOr<EventPage> page = moderate.ListEvents(caller_, listing);
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_THAT(page->events, SizeIs(2));
  ASSERT_FALSE(page->next_page_token.empty());
  listing.page.page_token = page->next_page_token;
  absl::StatusOr<EventPage> last = moderate.ListEvents(caller_, listing);
  ASSERT_TRUE(last.ok()) << last.status();
  ASSERT_THAT(last->events, SizeIs(1));
  EXPECT_EQ(last->events[0].reason, "changed my mind");
  EXPECT_TRUE(last->next_page_token.empty());

  // One comment's trail, and the whole trail's token refused for it.
  EventListing one;
  one.comment = NameOf(first);
  absl::StatusOr<EventPage> trail = moderate.ListEvents(caller_, one);
  ASSERT_TRUE(trail.ok()) << trail.status();
  EXPECT_THAT(trail->events, SizeIs(2));
  one.page.page_token = page->next_page_token;
  EXPECT_EQ(ErrorReason(moderate.ListEvents(caller_, one).status()),
            "INVALID_PAGE_TOKEN");
}

TEST_F(ModerateCommentsTest, EventsRefuseABadCommentName) {
  ModerateComments moderate = UseCase();
  EventListing listing;
  listing.comment = "threads/x/comments/nope";
  absl::StatusOr<EventPage> page = moderate.ListEvents(caller_, listing);
  EXPECT_EQ(ErrorReason(page.status()), "INVALID_NAME");
  EXPECT_THAT(ViolatedFields(page.status()), ElementsAre("comment"));
}

// ---- Erasure
// -----------------------------------------------------------------

TEST_F(ModerateCommentsTest, ErasureRefusesABadAddressWithoutRepeatingIt) {
  ModerateComments moderate = UseCase();
  for (const std::string bad : {"", "   ", "bob.example.com", "\xff@x.org"}) {
    absl::StatusOr<int64_t> affected =
        moderate.EraseAuthorData(caller_, {bad, false});
    EXPECT_EQ(affected.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(ErrorReason(affected.status()), "INVALID_EMAIL");
    EXPECT_THAT(ViolatedFields(affected.status()), ElementsAre("author_email"));
    if (!bad.empty() && bad != "   ") {
      EXPECT_THAT(affected.status().ToString(), Not(HasSubstr(bad)));
    }
  }
  EXPECT_THAT(repository_.erasures(), IsEmpty());
}

TEST_F(ModerateCommentsTest, ErasureAnonymisesTheAuthorsCommentsOnly) {
  const std::string mine = Add(1);
  const std::string also_mine = Add(2, CommentState::kApproved);
  const std::string theirs =
      Add(3, CommentState::kPending, kThread, "bob@example.com");
  const storage::LimitKey limit = security::MailboxLimit(hasher_, kEmail);
  repository_.AddLimitRow(limit.key);
  ModerateComments moderate = UseCase();
  // Trimmed and case-folded as when it was stored.
  absl::StatusOr<int64_t> affected =
      moderate.EraseAuthorData(caller_, {"  Alice@Example.COM ", false});
  ASSERT_TRUE(affected.ok()) << affected.status();
  EXPECT_EQ(*affected, 2);
  EXPECT_EQ(repository_.Find(mine)->author_name, "Anonymous");
  EXPECT_THAT(repository_.Find(also_mine)->email_ciphertext, IsEmpty());
  EXPECT_EQ(repository_.Find(theirs)->author_name, "Alice");
  EXPECT_THAT(repository_.limit_rows(), IsEmpty());
  ASSERT_THAT(repository_.erasures(), SizeIs(1));
  EXPECT_EQ(repository_.erasures()[0].moderator, "mod.alice");
  ASSERT_THAT(observer_.erased, SizeIs(1));
  EXPECT_EQ(observer_.erased[0].affected_comments, 2);
  EXPECT_FALSE(observer_.erased[0].deleted);
  EXPECT_EQ(observer_.erased[0].moderator, "mod.alice");

  // Repeated, it finds nothing left.
  absl::StatusOr<int64_t> again =
      moderate.EraseAuthorData(caller_, {kEmail, true});
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(*again, 0);
}

TEST_F(ModerateCommentsTest, ErasureCanDeleteTheComments) {
  const std::string mine = Add(1);
  ModerateComments moderate = UseCase();
  absl::StatusOr<int64_t> affected =
      moderate.EraseAuthorData(caller_, {kEmail, true});
  ASSERT_TRUE(affected.ok()) << affected.status();
  EXPECT_EQ(*affected, 1);
  EXPECT_FALSE(repository_.Find(mine).has_value());
  EXPECT_TRUE(observer_.erased[0].deleted);
}

TEST_F(ModerateCommentsTest, ErasureLogsNoAddressOrHash) {
  Add(1);
  LoggingModerationObserver log;
  ModerateComments moderate(&repository_, &hasher_, &log, options_);
  ::testing::internal::CaptureStderr();
  absl::StatusOr<int64_t> affected =
      moderate.EraseAuthorData(caller_, {kEmail, false});
  const std::string logged = ::testing::internal::GetCapturedStderr();
  ASSERT_TRUE(affected.ok()) << affected.status();
  EXPECT_THAT(logged, HasSubstr("author data erased"));
  EXPECT_THAT(logged, HasSubstr("mod.alice"));
  EXPECT_THAT(logged, Not(HasSubstr("alice@")));
  for (const std::string& hash : repository_.erasures()[0].email_hashes) {
    EXPECT_THAT(logged, Not(HasSubstr(hash)));
    EXPECT_THAT(logged, Not(HasSubstr(absl::BytesToHexString(hash))));
    EXPECT_THAT(logged, Not(HasSubstr(absl::Base64Escape(hash))));
  }
  // Nor does the audit trail.
  ASSERT_THAT(repository_.events(), SizeIs(1));
  EXPECT_EQ(repository_.events()[0].reason, "anonymised 1 comment");
}

TEST_F(ModerateCommentsTest, ErasureFailurePassesThrough) {
  repository_.FailWith(absl::UnavailableError("database down"));
  ModerateComments moderate = UseCase();
  absl::StatusOr<int64_t> affected =
      moderate.EraseAuthorData(caller_, {kEmail, false});
  EXPECT_EQ(affected.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(affected.status().ToString(), Not(HasSubstr(kEmail)));
  EXPECT_THAT(observer_.erased, IsEmpty());
}

// ---- The decision log
// ---------------------------------------------------------

TEST_F(ModerateCommentsTest, DecisionsAreLoggedWithWhoDecidedWhat) {
  const std::string id = Add(1);
  LoggingModerationObserver log;
  ModerateComments moderate(&repository_, &hasher_, &log, options_);
  ::testing::internal::CaptureStderr();
  absl::StatusOr<BatchResults> results =
      moderate.Batch(caller_, {ModerationAction::kMarkSpam, {NameOf(id)}, ""});
  const std::string logged = ::testing::internal::GetCapturedStderr();
  ASSERT_TRUE(results.ok()) << results.status();
  EXPECT_THAT(logged, HasSubstr("\"msg\":\"comment moderated\""));
  EXPECT_THAT(logged, HasSubstr(absl::StrCat("\"comment\":\"", id, "\"")));
  EXPECT_THAT(logged, HasSubstr("\"action\":\"MARK_SPAM\""));
  EXPECT_THAT(logged, HasSubstr("\"state\":\"SPAM\""));
  EXPECT_THAT(logged, HasSubstr("\"msg\":\"batch moderated\""));
  EXPECT_THAT(logged, HasSubstr("\"moderator\":\"mod.alice\""));
  EXPECT_THAT(logged, Not(HasSubstr(kEmail)));
  EXPECT_THAT(logged, Not(HasSubstr("192.0.2.1")));
}

// ---- The watch
// ----------------------------------------------------------------

TEST_F(ModerateCommentsTest, WatchedThreadChecksTheFilter) {
  ModerateComments moderate = UseCase();
  EXPECT_EQ(*moderate.WatchedThread(""), "");
  EXPECT_EQ(*moderate.WatchedThread("threads/launch-post"), "launch-post");
  absl::StatusOr<std::string> bad = moderate.WatchedThread("launch-post");
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ErrorReason(bad.status()), "INVALID_PARENT");
  EXPECT_THAT(ViolatedFields(bad.status()), ElementsAre("parent"));
}

TEST_F(ModerateCommentsTest, ExistingQueueComesInPagesOfPendingComments) {
  for (int n = 1; n <= 150; ++n) Add(n);
  Add(151, CommentState::kApproved);
  Add(152, CommentState::kPending, "other-thread");
  ModerateComments moderate = UseCase();
  const absl::Time deadline = absl::FromUnixSeconds(1'800'000'000);
  absl::StatusOr<ExistingQueuePage> first =
      moderate.ExistingQueue(kThread, 0, deadline);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_THAT(first->comments, SizeIs(100));
  ASSERT_TRUE(first->next_after.has_value());
  EXPECT_EQ(repository_.last_deadline(), deadline);
  absl::StatusOr<ExistingQueuePage> second =
      moderate.ExistingQueue(kThread, *first->next_after, deadline);
  ASSERT_TRUE(second.ok()) << second.status();
  ASSERT_THAT(second->comments, SizeIs(50));
  EXPECT_EQ(second->comments.back().comment.id, CommentId(150));
  EXPECT_FALSE(second->next_after.has_value());
  EXPECT_EQ(repository_.queue_queries()[1].state, CommentState::kPending);
}

}  // namespace
}  // namespace comments::app
