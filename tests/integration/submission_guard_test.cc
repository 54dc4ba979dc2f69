// CreateComment with auto-moderation and flood control, end to end inside
// one process: CommentServiceImpl on 127.0.0.1:0 with a fake clock, a real
// PostgreSQL, and the client library as a web frontend would use it.
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/barrier.h"
#include "absl/time/clock.h"
#include "client/lib/comment_client.h"
#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "pqxx/pqxx"
#include "service/api/comment_service.h"
#include "service/app/read_comments.h"
#include "service/app/submit_comment.h"
#include "service/security/email_cipher.h"
#include "service/security/keyed_hash.h"
#include "service/security/page_token_cipher.h"
#include "service/storage/connection_pool.h"
#include "service/storage/migrations.h"
#include "service/storage/pg_comment_repository.h"
#include "service/storage/pg_submission_store.h"
#include "tests/support/fake_clock.h"
#include "tests/support/postgres_suite.h"
#include "tests/support/submission_policies.h"
#include "tests/support/wire_details.h"

namespace comments::api {
namespace {

using app::SubmissionPolicy;
using wire_details::GetBadRequest;
using wire_details::GetQuotaFailure;
using wire_details::GetRetryInfo;

using ::testing::HasSubstr;

constexpr char kDatabase[] = "guard";
// Where the web frontend in front of the service connects from: loopback.
constexpr char kFrontendNetwork[] = "127.0.0.1/32";

std::vector<security::Key> TestKeys(char fill) {
  return {{"k1", std::string(security::kKeyBytes, fill)}};
}

std::string CommentId(const std::string& name) {
  return name.substr(name.rfind('/') + 1);
}

class SubmissionGuardTest : public comments::testing::PostgresSuite {
 protected:
  static void SetUpTestSuite() {
    PostgresSuite::SetUpTestSuite();
    ASSERT_NO_FATAL_FAILURE(CreateMigratedDatabase(kDatabase));
  }

  void SetUp() override {
    storage::PoolOptions options;
    options.connection_string = postgres_->ConnectionString(kDatabase);
    options.size = 8;
    pool_ = std::make_unique<storage::ConnectionPool>(std::move(options));
    // One database for the suite, emptied before each test.
    ASSERT_TRUE(pool_
                    ->InTransaction(absl::Now() + absl::Seconds(10),
                                    [](pqxx::work& txn) {
                                      txn.exec(
                                          "TRUNCATE comments, "
                                          "submission_limits");
                                      return absl::OkStatus();
                                    })
                    .ok());
    repository_ = std::make_unique<storage::PgCommentRepository>(pool_.get());
    store_ = std::make_unique<storage::PgSubmissionStore>(pool_.get());
    cipher_.emplace(*security::EmailCipher::Create(TestKeys('e')));
    hasher_.emplace(*security::KeyedHasher::Create(TestKeys('h')));
    page_tokens_.emplace(*security::PageTokenCipher::Create(TestKeys('e')));
  }

  void TearDown() override {
    if (server_ != nullptr) server_->Shutdown();
  }

  // Serves CommentService with `policy`, trusting `proxies`.
  void Start(SubmissionPolicy policy, std::vector<std::string> proxies = {}) {
    app::SubmitOptions submit_options;
    submit_options.policy = std::move(policy);
    submit_ = std::make_unique<app::SubmitComment>(
        repository_.get(), store_.get(), &*cipher_, &*hasher_, &clock_,
        std::move(submit_options));
    app::ReadOptions read_options;
    read_options.page_tokens = &*page_tokens_;
    reads_ = std::make_unique<app::ReadComments>(repository_.get(),
                                                 std::move(read_options));
    CommentServiceOptions options;
    options.trusted_proxies = *domain::IpNetworkList::Parse(proxies);
    service_ = std::make_unique<CommentServiceImpl>(submit_.get(), reads_.get(),
                                                    std::move(options));
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                             &port);
    builder.RegisterService(service_.get());
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    ASSERT_NE(port, 0);
    channel_ = grpc::CreateChannel(absl::StrCat("127.0.0.1:", port),
                                   grpc::InsecureChannelCredentials());
  }

  static SubmissionPolicy NoFlood(
      domain::ModerationMode mode = domain::ModerationMode::kPreModeration) {
    return comments::testing::NoFloodPolicy(mode);
  }

  // A frontend's client; `forwarded_for` is sent as x-forwarded-for.
  client::CommentClient Client(const std::string& forwarded_for = "") {
    client::CallOptions options;
    options.timeout = absl::Seconds(10);
    options.metadata.push_back({"x-reader-user-agent", "TestBrowser/1.0"});
    if (!forwarded_for.empty()) {
      options.metadata.push_back({"x-forwarded-for", forwarded_for});
    }
    return client::CommentClient(channel_, options);
  }

  static v1::CreateCommentRequest Draft(const std::string& email,
                                        const std::string& body,
                                        const std::string& thread = "article",
                                        const std::string& url = "",
                                        const std::string& name = "Ada") {
    v1::CreateCommentRequest request;
    request.set_parent(absl::StrCat("threads/", thread));
    request.mutable_comment()->set_author_name(name);
    request.mutable_comment()->set_author_email(email);
    request.mutable_comment()->set_author_url(url);
    request.mutable_comment()->set_body(body);
    return request;
  }

  // "STATE|flag,flag|client_ip|user_agent" as stored.
  static std::string Stored(const std::string& name) {
    auto row = postgres_->Query(
        kDatabase,
        absl::StrCat("SELECT state, array_to_string(flags, ','), "
                     "host(client_ip), user_agent FROM comments WHERE id = '",
                     CommentId(name), "'"));
    EXPECT_TRUE(row.ok()) << row.status();
    return row.ok() ? *row : "";
  }

  static std::string Count(const std::string& where) {
    auto rows = postgres_->Query(
        kDatabase, absl::StrCat("SELECT count(*) FROM comments WHERE ", where));
    EXPECT_TRUE(rows.ok()) << rows.status();
    return rows.ok() ? *rows : "";
  }

  static void Approve(const std::string& name) {
    auto result = postgres_->Query(
        kDatabase, absl::StrCat("UPDATE comments SET state = 'APPROVED' WHERE "
                                "id = '",
                                CommentId(name), "' RETURNING 1"));
    ASSERT_TRUE(result.ok()) << result.status();
    ASSERT_EQ(*result, "1");
  }

  comments::testing::FakeClock clock_;
  std::unique_ptr<storage::ConnectionPool> pool_;
  std::unique_ptr<storage::PgCommentRepository> repository_;
  std::unique_ptr<storage::PgSubmissionStore> store_;
  std::optional<security::EmailCipher> cipher_;
  std::optional<security::KeyedHasher> hasher_;
  std::optional<security::PageTokenCipher> page_tokens_;
  std::unique_ptr<app::SubmitComment> submit_;
  std::unique_ptr<app::ReadComments> reads_;
  std::unique_ptr<CommentServiceImpl> service_;
  std::unique_ptr<grpc::Server> server_;
  std::shared_ptr<grpc::Channel> channel_;
};

TEST_F(SubmissionGuardTest, PreModerationHoldsEveryComment) {
  Start(NoFlood(domain::ModerationMode::kPreModeration));
  auto created =
      Client().CreateComment(Draft("ada@example.org", "A fine comment."));
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->state(), v1::PENDING);
  EXPECT_EQ(Stored(created->name()), "PENDING||127.0.0.1|TestBrowser/1.0");
  EXPECT_EQ(Client().GetComment(created->name()).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(SubmissionGuardTest, PostModerationPublishesUnlessARuleHolds) {
  Start(NoFlood(domain::ModerationMode::kPostModeration));
  auto published = Client().CreateComment(
      Draft("ada@example.org", "One link: https://a.example/"));
  ASSERT_TRUE(published.ok()) << published.status();
  EXPECT_EQ(published->state(), v1::APPROVED);
  EXPECT_EQ(Stored(published->name()), "APPROVED||127.0.0.1|TestBrowser/1.0");
  auto fetched = Client().GetComment(published->name());
  ASSERT_TRUE(fetched.ok()) << fetched.status();

  // The second link is the website field.
  auto held = Client().CreateComment(Draft("bob@example.org",
                                           "Bob's link: https://a.example/",
                                           "article", "https://bob.example/"));
  ASSERT_TRUE(held.ok()) << held.status();
  EXPECT_EQ(held->state(), v1::PENDING);
  EXPECT_THAT(Stored(held->name()), ::testing::StartsWith("PENDING|links|"));

  auto hold_word = Client().CreateComment(
      Draft("cy@example.org", "See you at the LAWSUIT hearing."));
  ASSERT_TRUE(hold_word.ok()) << hold_word.status();
  EXPECT_EQ(hold_word->state(), v1::PENDING);
  EXPECT_THAT(Stored(hold_word->name()),
              ::testing::StartsWith("PENDING|hold_word|"));

  // A listed word inside another word is no match.
  auto inside = Client().CreateComment(
      Draft("di@example.org", "Lawsuits and casinos are different words."));
  ASSERT_TRUE(inside.ok()) << inside.status();
  EXPECT_EQ(inside->state(), v1::APPROVED);

  v1::ListCommentsRequest list;
  list.set_parent("threads/article");
  auto page = Client().ListComments(list);
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->comments_size(), 2);
  EXPECT_EQ(page->comments(0).name(), published->name());
  EXPECT_EQ(page->comments(1).name(), inside->name());
}

TEST_F(SubmissionGuardTest, BlockedWordIsSpamButItsSenderSeesPending) {
  Start(NoFlood(domain::ModerationMode::kPostModeration));
  auto created = Client().CreateComment(
      Draft("spam@example.org", "Best ＣＡＳＩＮＯ bonus, today only!"));
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->state(), v1::PENDING);
  EXPECT_EQ(Stored(created->name()),
            "SPAM|blocked_word|127.0.0.1|TestBrowser/1.0");

  // Not in the moderation queue, not in any public read.
  EXPECT_EQ(Count("state = 'PENDING'"), "0");
  EXPECT_EQ(Client().GetComment(created->name()).status().code(),
            absl::StatusCode::kNotFound);
  v1::ListCommentsRequest list;
  list.set_parent("threads/article");
  auto page = Client().ListComments(list);
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_EQ(page->comments_size(), 0);
  v1::CountCommentsRequest count;
  count.add_parents("threads/article");
  auto counts = Client().CountComments(count);
  ASSERT_TRUE(counts.ok()) << counts.status();
  EXPECT_EQ(counts->counts(0).approved_count(), 0);

  // A retry of the same request is answered the same way.
  v1::CreateCommentRequest request =
      Draft("spam2@example.org", "casino casino casino");
  request.set_request_id("0b7c3d2e-1f00-4c1e-9a55-6f1c2a0e8d7b");
  auto first = Client().CreateComment(request);
  auto again = Client().CreateComment(request);
  ASSERT_TRUE(first.ok() && again.ok());
  EXPECT_EQ(again->name(), first->name());
  EXPECT_EQ(again->state(), v1::PENDING);
}

TEST_F(SubmissionGuardTest, TrustedAuthorsOffByDefault) {
  Start(NoFlood());
  for (const char* body : {"First comment.", "Second comment."}) {
    auto created = Client().CreateComment(Draft("ada@example.org", body));
    ASSERT_TRUE(created.ok()) << created.status();
    Approve(created->name());
  }
  auto third =
      Client().CreateComment(Draft("ada@example.org", "Third comment."));
  ASSERT_TRUE(third.ok()) << third.status();
  EXPECT_EQ(third->state(), v1::PENDING);
  EXPECT_THAT(Stored(third->name()), ::testing::StartsWith("PENDING||"));
}

TEST_F(SubmissionGuardTest, TrustedAuthorApprovedAfterTwoApprovedComments) {
  SubmissionPolicy policy = NoFlood();
  policy.rules.trust_returning_authors = true;
  Start(std::move(policy));
  auto first = Client().CreateComment(Draft("ada@example.org", "First."));
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->state(), v1::PENDING);
  Approve(first->name());

  // One approved comment is not enough.
  auto second = Client().CreateComment(Draft("ADA@example.org", "Second."));
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->state(), v1::PENDING);
  Approve(second->name());

  // Two are; the email matches whatever its case.
  auto third = Client().CreateComment(Draft("ada@EXAMPLE.org", "Third."));
  ASSERT_TRUE(third.ok()) << third.status();
  EXPECT_EQ(third->state(), v1::APPROVED);
  EXPECT_THAT(Stored(third->name()),
              ::testing::StartsWith("APPROVED|trusted_author|"));

  // Same email, another name: not the same author.
  auto renamed = Client().CreateComment(
      Draft("ada@example.org", "Fourth.", "article", "", "Ada Lovelace"));
  ASSERT_TRUE(renamed.ok()) << renamed.status();
  EXPECT_EQ(renamed->state(), v1::PENDING);

  // Trust never overrides a hold.
  auto linked = Client().CreateComment(Draft(
      "ada@example.org", "https://a.example https://b.example", "article"));
  ASSERT_TRUE(linked.ok()) << linked.status();
  EXPECT_EQ(linked->state(), v1::PENDING);
  EXPECT_THAT(Stored(linked->name()), ::testing::StartsWith("PENDING|links|"));
}

TEST_F(SubmissionGuardTest, ReplyMustNameAnApprovedCommentOfTheSameThread) {
  Start(NoFlood());
  auto parent = Client().CreateComment(Draft("ada@example.org", "Parent."));
  ASSERT_TRUE(parent.ok()) << parent.status();

  v1::CreateCommentRequest reply = Draft("bob@example.org", "A reply.");
  reply.mutable_comment()->set_reply_to(parent->name());
  auto to_pending = Client().CreateComment(reply);
  ASSERT_EQ(to_pending.status().code(), absl::StatusCode::kInvalidArgument);
  auto bad_request = GetBadRequest(to_pending.status());
  ASSERT_TRUE(bad_request.has_value());
  ASSERT_EQ(bad_request->field_violations_size(), 1);
  EXPECT_EQ(bad_request->field_violations(0).field(), "comment.reply_to");

  Approve(parent->name());
  v1::CreateCommentRequest elsewhere =
      Draft("bob@example.org", "A reply.", "other-article");
  elsewhere.mutable_comment()->set_reply_to(parent->name());
  EXPECT_EQ(Client().CreateComment(elsewhere).status().code(),
            absl::StatusCode::kInvalidArgument);

  auto replied = Client().CreateComment(reply);
  ASSERT_TRUE(replied.ok()) << replied.status();
  EXPECT_EQ(replied->reply_to(), parent->name());
  EXPECT_EQ(Count("reply_to IS NOT NULL"), "1");
}

TEST_F(SubmissionGuardTest, DuplicateIsHeldAndFlaggedButARetryIsTheOriginal) {
  Start(NoFlood(domain::ModerationMode::kPostModeration));
  v1::CreateCommentRequest request =
      Draft("ada@example.org", "Great   article!");
  request.set_request_id("6f1c2a0e-8d7b-4c1e-9a55-0b7c3d2e1f00");
  auto first = Client().CreateComment(request);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->state(), v1::APPROVED);
  auto retry = Client().CreateComment(request);
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_EQ(retry->name(), first->name());

  // Same thread and text (up to case and spacing), from the author or from
  // anyone else: held for a moderator, never published twice.
  for (const char* sender : {"ada@example.org", "eve@example.org"}) {
    auto duplicate = Client().CreateComment(Draft(sender, "great article!"));
    ASSERT_TRUE(duplicate.ok()) << duplicate.status();
    EXPECT_EQ(duplicate->state(), v1::PENDING);
    EXPECT_THAT(Stored(duplicate->name()),
                ::testing::StartsWith("PENDING|duplicate|"));
  }
  EXPECT_EQ(Count("state = 'APPROVED'"), "1");
  EXPECT_EQ(Count("true"), "3");
}

// What a guesser sees: a draft with the victim's address and one with
// another address, sent from the same place, get the same answer in every
// field but the new comment's own id and time.
TEST_F(SubmissionGuardTest, RightAndWrongGuessesOfAnAddressGetOneAnswer) {
  SubmissionPolicy policy = NoFlood(domain::ModerationMode::kPostModeration);
  policy.flood.min_interval = absl::Seconds(15);
  Start(std::move(policy), {kFrontendNetwork});
  auto victim =
      Client("203.0.113.5")
          .CreateComment(Draft("victim@example.org", "My own words on this.",
                               "article", "", "Victim"));
  ASSERT_TRUE(victim.ok()) << victim.status();
  ASSERT_EQ(victim->state(), v1::APPROVED);

  // Moments later: the victim's mailbox is within its interval, and its
  // public body is copied. Each guess comes from its own network, with the
  // copied body or with a new one.
  int network = 0;
  for (bool copied : {true, false}) {
    std::vector<std::string> answers;
    for (const char* guess :
         {"victim@example.org", "VICTIM+x@example.org", "other@example.org"}) {
      const std::string body =
          copied ? "My own words on this."
                 : absl::StrCat("Did you post just now? ", ++network);
      auto answer =
          Client(absl::StrCat("198.51.100.", ++network))
              .CreateComment(Draft(guess, body, "article", "", "Victim"));
      ASSERT_TRUE(answer.ok()) << guess << ": " << answer.status();
      EXPECT_EQ(answer->state(), copied ? v1::PENDING : v1::APPROVED);
      v1::Comment comparable = *answer;
      comparable.clear_name();
      comparable.clear_create_time();
      comparable.clear_body();
      answers.push_back(comparable.SerializeAsString());
    }
    EXPECT_EQ(answers[0], answers[2]) << copied;
    EXPECT_EQ(answers[1], answers[2]) << copied;
  }
}

// The flood keys a spammer could vary for free: the address within one
// IPv6 /64, and the case and "+tag" of a mailbox.
TEST_F(SubmissionGuardTest, OneSlash64SharesALimitAndTagsShareAMailbox) {
  SubmissionPolicy policy = NoFlood();
  policy.flood.min_interval = absl::Seconds(15);
  Start(std::move(policy), {kFrontendNetwork});
  std::vector<absl::StatusCode> codes;
  for (int i = 1; i <= 6; ++i) {
    codes.push_back(Client(absl::StrCat("2001:db8:7:7::", i))
                        .CreateComment(Draft(absl::StrCat("s", i, "@x.org"),
                                             absl::StrCat("Spam number ", i)))
                        .status()
                        .code());
  }
  EXPECT_THAT(codes,
              ::testing::ElementsAre(absl::StatusCode::kOk,
                                     absl::StatusCode::kResourceExhausted,
                                     absl::StatusCode::kResourceExhausted,
                                     absl::StatusCode::kResourceExhausted,
                                     absl::StatusCode::kResourceExhausted,
                                     absl::StatusCode::kResourceExhausted));
  // The next /64 is another subscriber.
  EXPECT_TRUE(Client("2001:db8:7:8::1")
                  .CreateComment(Draft("t@x.org", "Another network."))
                  .ok());

  auto tagged =
      Client("192.0.2.1")
          .CreateComment(Draft("Ada+one@Example.org", "First of the tags."));
  ASSERT_TRUE(tagged.ok()) << tagged.status();
  EXPECT_THAT(Stored(tagged->name()), ::testing::StartsWith("PENDING||"));
  auto retagged =
      Client("192.0.2.2")
          .CreateComment(Draft("ada+two@example.ORG", "Second of the tags."));
  ASSERT_TRUE(retagged.ok()) << retagged.status();
  EXPECT_THAT(Stored(retagged->name()),
              ::testing::StartsWith("PENDING|mailbox_flood|"));
}

// Rotating the hash key (a new last line in its file) and restarting: every
// lookup still finds what was stored under the older key.
TEST_F(SubmissionGuardTest, LookupsFindRowsStoredBeforeAHashKeyRotation) {
  SubmissionPolicy policy = NoFlood();
  policy.rules.trust_returning_authors = true;
  policy.flood.min_interval = absl::Seconds(15);
  Start(policy, {kFrontendNetwork});
  for (const char* body : {"First approved.", "Second approved."}) {
    auto created =
        Client("192.0.2.10").CreateComment(Draft("ada@example.org", body));
    ASSERT_TRUE(created.ok()) << created.status();
    Approve(created->name());
    clock_.Advance(absl::Seconds(20));
  }
  v1::CreateCommentRequest request =
      Draft("bob@example.org", "Sent before the rotation.");
  request.set_request_id("0b7c3d2e-1f00-4c1e-9a55-6f1c2a0e8d7b");
  auto original = Client("192.0.2.11").CreateComment(request);
  ASSERT_TRUE(original.ok()) << original.status();

  server_->Shutdown();
  server_.reset();
  std::vector<security::Key> rotated = TestKeys('h');
  rotated.push_back({"k2", std::string(security::kKeyBytes, 'r')});
  hasher_.emplace(*security::KeyedHasher::Create(rotated));
  Start(policy, {kFrontendNetwork});

  // The retry of a stored request is still that request.
  auto retried = Client("192.0.2.11").CreateComment(request);
  ASSERT_TRUE(retried.ok()) << retried.status();
  EXPECT_EQ(retried->name(), original->name());
  // The network that just sent it is still within its interval.
  EXPECT_EQ(Client("192.0.2.11")
                .CreateComment(Draft("cy@example.org", "Too soon."))
                .status()
                .code(),
            absl::StatusCode::kResourceExhausted);
  // Bob's mailbox is too, and his body is still the stored copy.
  auto copy =
      Client("192.0.2.12")
          .CreateComment(Draft("bob@example.org", "Sent before the rotation."));
  ASSERT_TRUE(copy.ok()) << copy.status();
  EXPECT_THAT(Stored(copy->name()),
              ::testing::StartsWith("PENDING|duplicate,mailbox_flood|"));
  // Ada's approvals still make her a trusted author.
  auto trusted = Client("192.0.2.13")
                     .CreateComment(Draft("ada@example.org",
                                          "Third, after the rotation."));
  ASSERT_TRUE(trusted.ok()) << trusted.status();
  EXPECT_EQ(trusted->state(), v1::APPROVED);
}

TEST_F(SubmissionGuardTest, FloodBoundaryWithRetryInfoAndQuotaFailure) {
  SubmissionPolicy policy = NoFlood();
  policy.flood.min_interval = absl::Seconds(15);
  Start(std::move(policy));
  ASSERT_TRUE(Client().CreateComment(Draft("ada@example.org", "One.")).ok());
  clock_.Advance(absl::Seconds(14));
  auto refused = Client().CreateComment(Draft("bob@example.org", "Two."));
  ASSERT_EQ(refused.status().code(), absl::StatusCode::kResourceExhausted);
  auto retry = GetRetryInfo(refused.status());
  ASSERT_TRUE(retry.has_value());
  EXPECT_EQ(retry->retry_delay().seconds(), 1);
  EXPECT_EQ(retry->retry_delay().nanos(), 0);
  auto quota = GetQuotaFailure(refused.status());
  ASSERT_TRUE(quota.has_value());
  EXPECT_EQ(quota->violations(0).subject(), "client_ip");
  EXPECT_EQ(Count("true"), "1");

  clock_.Advance(absl::Seconds(1));
  auto accepted = Client().CreateComment(Draft("bob@example.org", "Two."));
  ASSERT_TRUE(accepted.ok()) << accepted.status();
  EXPECT_EQ(Count("true"), "2");
}

// The documented bound, per client IP, over T seconds of submissions:
//   accepted <= min(1 + floor(T / min_interval),
//                   bucket_burst + floor(T * refill_per_minute / 60))
// With a 15 s interval and a bucket of 2 refilled at 2 a minute, over
// T = 60 s: min(1 + 4, 2 + 2) = 4, accepted at t = 0, 15, 30 and 60 s.
constexpr int kSteps = 13;    // t = 0, 5, ..., 60 s: 3x the interval's rate
constexpr int kFlooders = 3;  // concurrent callers at every step
constexpr int kBound = 4;

SubmissionPolicy RatePolicy() {
  SubmissionPolicy policy;
  policy.flood.min_interval = absl::Seconds(15);
  policy.flood.bucket_burst = 2;
  policy.flood.bucket_refill_per_minute = 2;
  return policy;
}

struct Submission {
  std::string forwarded_for;
  std::string email;
};

// Sends every submission at once (threads released together) and returns
// their status codes in order.
std::vector<absl::StatusCode> SubmitTogether(
    const std::vector<Submission>& submissions,
    const std::function<client::CommentClient(const std::string&)>& client) {
  std::vector<absl::StatusCode> codes(submissions.size());
  absl::Barrier* start = new absl::Barrier(submissions.size());
  std::vector<std::thread> callers;
  for (size_t i = 0; i < submissions.size(); ++i) {
    callers.emplace_back([&, i] {
      client::CommentClient caller = client(submissions[i].forwarded_for);
      v1::CreateCommentRequest request;
      request.set_parent("threads/flooded");
      request.mutable_comment()->set_author_name("Reader");
      request.mutable_comment()->set_author_email(submissions[i].email);
      request.mutable_comment()->set_body(
          absl::StrCat("A message from ", submissions[i].email));
      if (start->Block()) delete start;
      codes[i] = caller.CreateComment(request).status().code();
    });
  }
  for (std::thread& caller : callers) caller.join();
  return codes;
}

TEST_F(SubmissionGuardTest, RateLimitHoldsUnderConcurrencyPerClientIp) {
  Start(RatePolicy(), {kFrontendNetwork});
  auto client = [this](const std::string& xff) { return Client(xff); };
  int flooder_accepted = 0;
  int reader_accepted = 0;
  int reader_sent = 0;
  for (int step = 0; step < kSteps; ++step) {
    std::vector<Submission> batch;
    for (int i = 0; i < kFlooders; ++i) {
      batch.push_back({"198.51.100.1", absl::StrCat("f", step, i, "@x.org")});
    }
    // Another reader behind the same frontend, at the rate the bucket
    // sustains (one every 30 s).
    const bool reader_sends = step % 6 == 0;
    if (reader_sends) {
      batch.push_back(
          {"203.0.113.9, 127.0.0.1", absl::StrCat("r", step, "@y.org")});
      ++reader_sent;
    }
    std::vector<absl::StatusCode> codes = SubmitTogether(batch, client);
    for (size_t i = 0; i < codes.size(); ++i) {
      ASSERT_THAT(codes[i],
                  ::testing::AnyOf(absl::StatusCode::kOk,
                                   absl::StatusCode::kResourceExhausted));
      const bool accepted = codes[i] == absl::StatusCode::kOk;
      if (i < kFlooders) {
        flooder_accepted += accepted;
      } else {
        reader_accepted += accepted;
      }
    }
    clock_.Advance(absl::Seconds(5));
  }
  EXPECT_EQ(flooder_accepted, kBound);
  EXPECT_EQ(reader_sent, 3);
  EXPECT_EQ(reader_accepted, reader_sent);
  EXPECT_EQ(Count("host(client_ip) = '198.51.100.1'"), absl::StrCat(kBound));
  EXPECT_EQ(Count("host(client_ip) = '203.0.113.9'"), "3");
}

TEST_F(SubmissionGuardTest, ForwardedForFromAnUntrustedPeerIsIgnored) {
  Start(RatePolicy(), /*proxies=*/{});
  auto client = [this](const std::string& xff) { return Client(xff); };
  int accepted = 0;
  for (int step = 0; step < kSteps; ++step) {
    std::vector<Submission> batch;
    for (int i = 0; i < kFlooders; ++i) {
      // Each caller claims another address; none is believed.
      batch.push_back({absl::StrCat("192.0.2.", step * kFlooders + i),
                       absl::StrCat("s", step, i, "@x.org")});
    }
    for (absl::StatusCode code : SubmitTogether(batch, client)) {
      ASSERT_THAT(code, ::testing::AnyOf(absl::StatusCode::kOk,
                                         absl::StatusCode::kResourceExhausted));
      accepted += code == absl::StatusCode::kOk;
    }
    clock_.Advance(absl::Seconds(5));
  }
  EXPECT_EQ(accepted, kBound);
  EXPECT_EQ(Count("host(client_ip) = '127.0.0.1'"), absl::StrCat(kBound));
}

}  // namespace
}  // namespace comments::api
