// Flood control and duplicate detection inside the insert's transaction,
// against a real PostgreSQL: each limit at its boundary with a fake clock,
// duplicates, request_id retries, and concurrent submissions.
#include "service/storage/admission.h"

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/barrier.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "gtest/gtest.h"
#include "pqxx/pqxx"
#include "service/api/status_mapping.h"
#include "service/common/uuid.h"
#include "service/domain/moderation_rules.h"
#include "service/storage/connection_pool.h"
#include "service/storage/migrations.h"
#include "service/storage/pg_comment_repository.h"
#include "service/storage/pg_submission_store.h"
#include "tests/support/fake_clock.h"
#include "tests/support/postgres_suite.h"

namespace comments::storage {
namespace {

using api::GetErrorInfo;
using api::GetQuotaFailure;
using api::GetRetryInfo;

constexpr int kPoolSize = 8;
constexpr char kDatabase[] = "admission";

absl::Duration RetryDelay(const absl::Status& status) {
  auto info = GetRetryInfo(status);
  if (!info.has_value()) return absl::ZeroDuration();
  return absl::Seconds(info->retry_delay().seconds()) +
         absl::Nanoseconds(info->retry_delay().nanos());
}

class AdmissionTest : public comments::testing::PostgresSuite {
 protected:
  static void SetUpTestSuite() {
    PostgresSuite::SetUpTestSuite();
    ASSERT_NO_FATAL_FAILURE(CreateMigratedDatabase(kDatabase));
  }

  // One migrated database for the suite, emptied before each test: much
  // faster than a database per test, and just as independent.
  void SetUp() override {
    PoolOptions options;
    options.connection_string = postgres_->ConnectionString(kDatabase);
    options.size = kPoolSize;
    pool_ = std::make_unique<ConnectionPool>(std::move(options));
    repository_ = std::make_unique<PgCommentRepository>(pool_.get());
    store_ = std::make_unique<PgSubmissionStore>(pool_.get());
    ASSERT_TRUE(pool_
                    ->InTransaction(Deadline(),
                                    [](pqxx::work& txn) {
                                      txn.exec(
                                          "TRUNCATE comments, "
                                          "submission_limits");
                                      return absl::OkStatus();
                                    })
                    .ok());
    policy_.min_interval = absl::Seconds(15);
    policy_.bucket_burst = 0;
  }

  static absl::Time Deadline() { return absl::Now() + absl::Seconds(10); }

  // A submission as the use case plans it; the hashes are stand-ins.
  NewComment Submission(const std::string& email, const std::string& ip,
                        const std::string& body,
                        const std::string& thread = "article") {
    NewComment comment;
    comment.id = NewUuid();
    comment.thread = thread;
    comment.author_name = "Reader";
    comment.body = body;
    comment.email_ciphertext = "k1:sealed";
    comment.email_hash = absl::StrCat("email-hash:", email);
    comment.client_ip = ip;
    comment.body_hash = absl::StrCat("body-hash:", body);
    AdmissionCheck check;
    check.clock = &clock_;
    check.policy = policy_;
    check.mailbox = LimitKey{absl::StrCat("limit-email:", email), {}};
    check.network = LimitKey{absl::StrCat("limit-ip:", ip), {}};
    check.body_hashes = {comment.body_hash};
    comment.admission = check;
    return comment;
  }

  // "STATE|flag,flag" of a stored comment.
  std::string Stored(const CreateResult& result) {
    auto row = postgres_->Query(
        kDatabase, absl::StrCat("SELECT state, array_to_string(flags, ',')"
                                " FROM comments WHERE id = '",
                                result.comment.id, "'"));
    EXPECT_TRUE(row.ok()) << row.status();
    return row.ok() ? *row : "";
  }

  int64_t StoredComments() {
    auto rows = postgres_->Query(kDatabase, "SELECT count(*) FROM comments");
    EXPECT_TRUE(rows.ok()) << rows.status();
    return rows.ok() ? std::stoll(*rows) : -1;
  }

  comments::testing::FakeClock clock_;
  domain::FloodPolicy policy_;
  std::unique_ptr<ConnectionPool> pool_;
  std::unique_ptr<PgCommentRepository> repository_;
  std::unique_ptr<PgSubmissionStore> store_;
};

// A refusal here would tell anyone who guesses the address that it posted
// moments ago, and let a stranger lock its owner out: over its interval a
// mailbox is stored and flagged, and the public answer is the usual one.
TEST_F(AdmissionTest, SameMailboxWithinTheIntervalIsFlaggedNeverRefused) {
  auto first = repository_->Create(
      Submission("ada@example.org", "192.0.2.1", "First comment."), Deadline());
  ASSERT_TRUE(first.ok()) << first.status();
  clock_.Advance(absl::Seconds(14));
  // Another network: only the mailbox's interval applies.
  auto flagged = repository_->Create(
      Submission("ada@example.org", "192.0.2.2", "Second comment."),
      Deadline());
  ASSERT_TRUE(flagged.ok()) << flagged.status();
  EXPECT_TRUE(flagged->created);
  EXPECT_EQ(flagged->comment.state, domain::CommentState::kPending);
  EXPECT_EQ(Stored(*flagged), "PENDING|mailbox_flood");
  auto other = repository_->Create(
      Submission("bob@example.org", "192.0.2.3", "Third comment."), Deadline());
  ASSERT_TRUE(other.ok()) << other.status();
  EXPECT_EQ(Stored(*other), "PENDING|");

  // The flagged comment did not restart the interval.
  clock_.Advance(absl::Seconds(1));
  auto later = repository_->Create(
      Submission("ada@example.org", "192.0.2.4", "Fourth comment."),
      Deadline());
  ASSERT_TRUE(later.ok()) << later.status();
  EXPECT_EQ(Stored(*later), "PENDING|");
  EXPECT_EQ(StoredComments(), 4);
}

// Published or held by the mode alone: a guessed address that posted a
// moment ago changes nothing a reader can see.
TEST_F(AdmissionTest, MailboxOverItsLimitKeepsThePostModerationState) {
  NewComment first =
      Submission("ada@example.org", "192.0.2.1", "Published at once.");
  first.state = domain::CommentState::kApproved;
  ASSERT_TRUE(repository_->Create(first, Deadline()).ok());
  NewComment guessed =
      Submission("ada@example.org", "192.0.2.2", "A stranger's guess.");
  guessed.state = domain::CommentState::kApproved;
  auto result = repository_->Create(guessed, Deadline());
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->comment.state, domain::CommentState::kApproved);
  EXPECT_EQ(Stored(*result), "APPROVED|mailbox_flood");

  // Only a comment that trust approved is held: a trusted address must not
  // publish a flood.
  NewComment trusted =
      Submission("ada@example.org", "192.0.2.3", "Trusted, but in a hurry.");
  trusted.state = domain::CommentState::kApproved;
  trusted.flags = {domain::kTrustedAuthorFlag};
  auto held = repository_->Create(trusted, Deadline());
  ASSERT_TRUE(held.ok()) << held.status();
  EXPECT_EQ(held->comment.state, domain::CommentState::kPending);
  EXPECT_EQ(Stored(*held), "PENDING|mailbox_flood");
}

TEST_F(AdmissionTest, SameIpFourteenSecondsRefusedFifteenAccepted) {
  ASSERT_TRUE(repository_
                  ->Create(Submission("a@example.org", "192.0.2.1", "First."),
                           Deadline())
                  .ok());
  clock_.Advance(absl::Seconds(14));
  auto refused = repository_->Create(
      Submission("b@example.org", "192.0.2.1", "Second."), Deadline());
  ASSERT_EQ(refused.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(GetQuotaFailure(refused.status())->violations(0).subject(),
            "client_ip");
  EXPECT_EQ(RetryDelay(refused.status()), absl::Seconds(1));
  // A refused attempt does not restart the interval.
  clock_.Advance(absl::Seconds(1));
  EXPECT_TRUE(repository_
                  ->Create(Submission("b@example.org", "192.0.2.1", "Second."),
                           Deadline())
                  .ok());
}

TEST_F(AdmissionTest, TokenBucketBoundsBurstsPerIp) {
  policy_.min_interval = absl::ZeroDuration();
  policy_.bucket_burst = 2;
  policy_.bucket_refill_per_minute = 1;
  for (int i = 0; i < 2; ++i) {
    auto created = repository_->Create(
        Submission(absl::StrCat("u", i, "@example.org"), "192.0.2.1",
                   absl::StrCat("Comment ", i)),
        Deadline());
    ASSERT_TRUE(created.ok()) << created.status();
  }
  auto refused = repository_->Create(
      Submission("u2@example.org", "192.0.2.1", "Comment 2"), Deadline());
  ASSERT_EQ(refused.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(RetryDelay(refused.status()), absl::Minutes(1));
  EXPECT_EQ(GetQuotaFailure(refused.status())->violations(0).subject(),
            "client_ip");
  // Another IP has its own bucket.
  EXPECT_TRUE(
      repository_
          ->Create(Submission("u2@example.org", "192.0.2.9", "Comment 2"),
                   Deadline())
          .ok());
  clock_.Advance(absl::Seconds(59));
  EXPECT_EQ(repository_
                ->Create(Submission("u3@example.org", "192.0.2.1", "Comment 3"),
                         Deadline())
                .status()
                .code(),
            absl::StatusCode::kResourceExhausted);
  clock_.Advance(absl::Seconds(1));
  EXPECT_TRUE(
      repository_
          ->Create(Submission("u3@example.org", "192.0.2.1", "Comment 3"),
                   Deadline())
          .ok());
  EXPECT_EQ(StoredComments(), 4);
}

// Whether the sender's address wrote the stored copy must not show: a body
// already on the thread is held and flagged whoever sends it, never
// refused, and never published twice.
TEST_F(AdmissionTest, RepeatedBodyOnTheThreadIsHeldWhoeverSendsIt) {
  NewComment original = Submission("ada@example.org", "192.0.2.1", "Hello");
  original.state = domain::CommentState::kApproved;
  ASSERT_TRUE(repository_->Create(original, Deadline()).ok());
  clock_.Advance(absl::Hours(1));
  for (const char* sender : {"ada@example.org", "bob@example.org"}) {
    NewComment copy = Submission(sender, "192.0.2.2", "Hello");
    copy.state = domain::CommentState::kApproved;  // post-moderation
    auto result = repository_->Create(copy, Deadline());
    ASSERT_TRUE(result.ok()) << sender << ": " << result.status();
    EXPECT_TRUE(result->created);
    EXPECT_EQ(result->comment.state, domain::CommentState::kPending) << sender;
    EXPECT_EQ(Stored(*result), "PENDING|duplicate") << sender;
    clock_.Advance(absl::Hours(1));
  }

  // Another thread or another body is no duplicate.
  NewComment elsewhere =
      Submission("ada@example.org", "192.0.2.3", "Hello", "other-article");
  elsewhere.state = domain::CommentState::kApproved;
  auto moved = repository_->Create(elsewhere, Deadline());
  ASSERT_TRUE(moved.ok()) << moved.status();
  EXPECT_EQ(Stored(*moved), "APPROVED|");
  clock_.Advance(absl::Hours(1));
  NewComment different =
      Submission("ada@example.org", "192.0.2.5", "Hello again");
  different.state = domain::CommentState::kApproved;
  auto fresh = repository_->Create(different, Deadline());
  ASSERT_TRUE(fresh.ok()) << fresh.status();
  EXPECT_EQ(Stored(*fresh), "APPROVED|");
  EXPECT_EQ(StoredComments(), 5);
}

TEST_F(AdmissionTest, RetriedRequestIdReturnsTheOriginalDespiteTheLimits) {
  NewComment first = Submission("ada@example.org", "192.0.2.1", "Hello");
  first.request_id = NewUuid();
  first.request_fingerprint = "fingerprint";
  auto created = repository_->Create(first, Deadline());
  ASSERT_TRUE(created.ok()) << created.status();

  clock_.Advance(absl::Seconds(1));
  NewComment retry = first;
  retry.id = NewUuid();  // a retry makes a new id; the stored one wins
  auto replayed = repository_->Create(retry, Deadline());
  ASSERT_TRUE(replayed.ok()) << replayed.status();
  EXPECT_FALSE(replayed->created);
  EXPECT_EQ(replayed->comment.id, first.id);

  // A retry fingerprinted under a newer hash key still matches the stored
  // fingerprint, which is one of its older ones.
  NewComment rotated = first;
  rotated.id = NewUuid();
  rotated.request_fingerprint = "fingerprint under the new key";
  rotated.older_request_fingerprints = {"fingerprint"};
  auto after_rotation = repository_->Create(rotated, Deadline());
  ASSERT_TRUE(after_rotation.ok()) << after_rotation.status();
  EXPECT_FALSE(after_rotation->created);
  EXPECT_EQ(after_rotation->comment.id, first.id);

  // The same request_id for another draft is still REQUEST_ID_REUSED, not a
  // duplicate or a flood.
  NewComment reused = Submission("ada@example.org", "192.0.2.1", "Other");
  reused.request_id = first.request_id;
  reused.request_fingerprint = "another fingerprint";
  auto refused = repository_->Create(reused, Deadline());
  ASSERT_EQ(refused.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(GetErrorInfo(refused.status())->reason(), "REQUEST_ID_REUSED");

  // The replay did not move the limits: 15 s after the first, a new comment
  // passes.
  clock_.Advance(absl::Seconds(14));
  EXPECT_TRUE(repository_
                  ->Create(Submission("ada@example.org", "192.0.2.1", "Later"),
                           Deadline())
                  .ok());
  EXPECT_EQ(StoredComments(), 2);
}

// Two pools stand for two replicas: the limit is enforced by the database,
// so it holds whichever replica a submission reaches.
TEST_F(AdmissionTest, ConcurrentSubmissionsFromOneIpAdmitExactlyOne) {
  PoolOptions options;
  options.connection_string = postgres_->ConnectionString(kDatabase);
  options.size = kPoolSize;
  ConnectionPool other_pool(std::move(options));
  PgCommentRepository other_replica(&other_pool);
  constexpr int kCallers = 8;
  std::atomic<int> created{0};
  std::atomic<int> limited{0};
  std::atomic<int> other{0};
  absl::Barrier* start = new absl::Barrier(kCallers);
  std::vector<std::thread> callers;
  for (int i = 0; i < kCallers; ++i) {
    callers.emplace_back([&, i] {
      NewComment comment =
          Submission(absl::StrCat("caller", i, "@example.org"), "192.0.2.1",
                     absl::StrCat("Comment from caller ", i));
      CommentRepository& replica =
          i % 2 == 0 ? static_cast<CommentRepository&>(*repository_)
                     : other_replica;
      if (start->Block()) delete start;
      auto result = replica.Create(comment, Deadline());
      if (result.ok()) {
        ++created;
      } else if (result.status().code() ==
                 absl::StatusCode::kResourceExhausted) {
        ++limited;
      } else {
        ++other;
      }
    });
  }
  for (std::thread& caller : callers) caller.join();
  EXPECT_EQ(created.load(), 1);
  EXPECT_EQ(limited.load(), kCallers - 1);
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(StoredComments(), 1);
}

// The mailbox row serialises one author's submissions, so of concurrent
// copies exactly one is stored unflagged.
TEST_F(AdmissionTest, ConcurrentCopiesFromOneMailboxFlagAllButOne) {
  policy_.min_interval = absl::ZeroDuration();
  constexpr int kCallers = 6;
  std::atomic<int> created{0};
  absl::Barrier* start = new absl::Barrier(kCallers);
  std::vector<std::thread> callers;
  for (int i = 0; i < kCallers; ++i) {
    callers.emplace_back([&, i] {
      NewComment comment = Submission(
          "ada@example.org", absl::StrCat("192.0.2.", 10 + i), "Same text");
      if (start->Block()) delete start;
      auto result = repository_->Create(comment, Deadline());
      if (result.ok() && result->created) ++created;
    });
  }
  for (std::thread& caller : callers) caller.join();
  EXPECT_EQ(created.load(), kCallers);
  auto flagged = postgres_->Query(
      kDatabase,
      "SELECT count(*) FILTER (WHERE flags = '{}'),"
      " count(*) FILTER (WHERE flags = '{duplicate}') FROM comments");
  ASSERT_TRUE(flagged.ok()) << flagged.status();
  EXPECT_EQ(*flagged, absl::StrCat("1|", kCallers - 1));
}

// After a hash key rotation the use case looks under every key: rows written
// under the older key still limit, still count as the stored copy.
TEST_F(AdmissionTest, RowsUnderAnOlderHashKeyStillLimitAndMatch) {
  // Written before the rotation: every hash under the old key.
  NewComment before = Submission("ada@example.org", "192.0.2.1", "Hello");
  before.body_hash = "old-Hello";
  before.admission->network = LimitKey{"old-ip", {}};
  before.admission->mailbox = LimitKey{"old-email", {}};
  ASSERT_TRUE(repository_->Create(before, Deadline()).ok());
  clock_.Advance(absl::Seconds(14));

  auto rotated = [&](const std::string& ip_key, const std::string& body) {
    NewComment comment = Submission("ada@example.org", "192.0.2.1", body);
    comment.body_hash = absl::StrCat("new-", body);
    comment.admission->network = LimitKey{ip_key, {"old-ip"}};
    comment.admission->mailbox = LimitKey{"new-email", {"old-email"}};
    comment.admission->body_hashes = {comment.body_hash,
                                      absl::StrCat("old-", body)};
    return comment;
  };
  auto refused =
      repository_->Create(rotated("new-ip", "Hello again"), Deadline());
  ASSERT_EQ(refused.status().code(), absl::StatusCode::kResourceExhausted)
      << refused.status();
  EXPECT_EQ(RetryDelay(refused.status()), absl::Seconds(1));

  // Another network: the mailbox is still over its interval, and the body
  // is still the stored one.
  NewComment copy = rotated("another-ip", "Hello");
  copy.admission->network = LimitKey{"another-ip", {"another-old-ip"}};
  auto flagged = repository_->Create(copy, Deadline());
  ASSERT_TRUE(flagged.ok()) << flagged.status();
  EXPECT_EQ(Stored(*flagged), "PENDING|duplicate,mailbox_flood");

  clock_.Advance(absl::Seconds(1));
  auto accepted =
      repository_->Create(rotated("new-ip", "Hello at last"), Deadline());
  ASSERT_TRUE(accepted.ok()) << accepted.status();
  EXPECT_EQ(Stored(*accepted), "PENDING|");
}

TEST_F(AdmissionTest, PruneForgetsOnlyIdleKeys) {
  ASSERT_TRUE(repository_
                  ->Create(Submission("old@example.org", "192.0.2.1", "Old"),
                           Deadline())
                  .ok());
  clock_.Advance(absl::Minutes(10));
  ASSERT_TRUE(repository_
                  ->Create(Submission("new@example.org", "192.0.2.2", "New"),
                           Deadline())
                  .ok());
  auto rows =
      postgres_->Query(kDatabase, "SELECT count(*) FROM submission_limits");
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(*rows, "4");
  auto pruned =
      store_->PruneLimits(clock_.Now() - absl::Minutes(5), 100, Deadline());
  ASSERT_TRUE(pruned.ok()) << pruned.status();
  EXPECT_EQ(*pruned, 2);
  rows = postgres_->Query(kDatabase, "SELECT count(*) FROM submission_limits");
  EXPECT_EQ(*rows, "2");
}

TEST_F(AdmissionTest, LimitsTableHoldsOnlyTheGivenKeys) {
  ASSERT_TRUE(
      repository_
          ->Create(Submission("ada@example.org", "192.0.2.1", "Hi"), Deadline())
          .ok());
  auto keys = postgres_->Query(
      kDatabase,
      "SELECT convert_from(key, 'UTF8') FROM submission_limits ORDER BY 1");
  ASSERT_TRUE(keys.ok()) << keys.status();
  EXPECT_EQ(*keys, "limit-email:ada@example.org\nlimit-ip:192.0.2.1");
}

TEST_F(AdmissionTest, CountApprovedByAuthorMatchesNameAndEmail) {
  policy_.min_interval = absl::ZeroDuration();
  auto add = [&](const std::string& name, const std::string& email,
                 domain::CommentState state, const std::string& body) {
    NewComment comment = Submission(email, "192.0.2.1", body);
    comment.author_name = name;
    comment.state = state;
    ASSERT_TRUE(repository_->Create(comment, Deadline()).ok());
  };
  add("Ada", "ada@example.org", domain::CommentState::kApproved, "one");
  add("Ada", "ada@example.org", domain::CommentState::kApproved, "two");
  add("Ada", "ada@example.org", domain::CommentState::kPending, "three");
  add("Ada L.", "ada@example.org", domain::CommentState::kApproved, "four");
  add("Ada", "eve@example.org", domain::CommentState::kApproved, "five");
  auto count = store_->CountApprovedByAuthor({"email-hash:ada@example.org"},
                                             "Ada", Deadline());
  ASSERT_TRUE(count.ok()) << count.status();
  EXPECT_EQ(*count, 2);
  EXPECT_EQ(
      *store_->CountApprovedByAuthor({"email-hash:nobody"}, "Ada", Deadline()),
      0);
  // After a rotation the address is looked up under every key: approvals
  // stored under the older one still count.
  add("Ada", "new-key-ada", domain::CommentState::kApproved, "six");
  EXPECT_EQ(*store_->CountApprovedByAuthor(
                {"email-hash:new-key-ada", "email-hash:ada@example.org"}, "Ada",
                Deadline()),
            3);
}

}  // namespace
}  // namespace comments::storage
