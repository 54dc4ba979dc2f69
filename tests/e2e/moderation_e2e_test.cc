// The moderation service end to end: the real server binary on a throwaway
// PostgreSQL, moderators made with "comments_server moderators add", calls
// through the client library with bearer tokens.
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/barrier.h"
#include "client/lib/call_support.h"
#include "client/lib/comment_client.h"
#include "client/lib/moderation_client.h"
#include "gmock/gmock.h"
#include "grpcpp/channel.h"
#include "gtest/gtest.h"
#include "tests/e2e/moderation_harness.h"
#include "tests/support/server_process.h"
#include "tests/support/wire_details.h"

namespace comments {
namespace {

using wire_details::GetBadRequest;
using wire_details::GetErrorInfo;

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::SizeIs;

class ModerationE2eTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto harness =
        testing::ModerationHarness::Start(COMMENTS_SERVER_PATH, "moderation");
    ASSERT_TRUE(harness.ok()) << harness.status();
    harness_ = harness->release();
    auto server = testing::ServerProcess::Start(COMMENTS_SERVER_PATH,
                                                harness_->ServerArgs());
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = server->release();
    channel_ = new std::shared_ptr<grpc::Channel>(
        testing::PlaintextChannel(server_->address()));
    for (const char* name : {"ann", "bob", "rex"}) {
      auto token = harness_->AddModerator(name);
      ASSERT_TRUE(token.ok()) << token.status();
      tokens_[name] = *token;
    }
    auto revoked = harness_->ModeratorsCommand({"revoke", "rex"});
    ASSERT_TRUE(revoked.ok());
    ASSERT_EQ(revoked->exit_code, 0) << revoked->err;
  }

  static void TearDownTestSuite() {
    delete channel_;
    delete server_;
    delete harness_;
  }

  // After every test, whatever ran before it: no email or token used so far
  // is in any line the server logged.
  void TearDown() override { ExpectCleanLogs(server_->LogLines()); }

  static void ExpectCleanLogs(const std::vector<std::string>& logs) {
    for (const std::string& line : logs) {
      for (const std::string& email : emails_used_) {
        EXPECT_THAT(line, Not(HasSubstr(email)));
      }
      for (const auto& [name, token] : tokens_) {
        EXPECT_THAT(line, Not(HasSubstr(token)));
      }
    }
  }

  static client::ModerationClient As(
      const std::string& moderator,
      std::vector<std::pair<std::string, std::string>> metadata = {}) {
    return testing::ModeratorClient(*channel_, tokens_[moderator],
                                    std::move(metadata));
  }

  // The public CommentService, one attempt per call.
  static client::CommentClient Public(
      std::vector<std::pair<std::string, std::string>> metadata = {}) {
    return client::CommentClient(
        *channel_, testing::ModeratorOptions("", std::move(metadata)));
  }

  static std::string Query(const std::string& sql) {
    auto result = harness_->postgres().Query("moderation", sql);
    EXPECT_TRUE(result.ok()) << result.status();
    return result.ok() ? *result : "";
  }

  // Submits through the public API, as a reader's browser would.
  static v1::Comment Submit(const std::string& thread, const std::string& email,
                            const std::string& body) {
    v1::CreateCommentRequest request;
    request.set_parent("threads/" + thread);
    request.mutable_comment()->set_author_name("Ada Reader");
    request.mutable_comment()->set_author_email(email);
    request.mutable_comment()->set_author_url("https://ada.example.org/");
    request.mutable_comment()->set_body(body);
    absl::StatusOr<v1::Comment> created =
        Public({{"x-reader-user-agent", "TestBrowser/1.0"}})
            .CreateComment(request);
    EXPECT_TRUE(created.ok()) << created.status();
    const v1::Comment comment = created.value_or(v1::Comment());
    EXPECT_EQ(comment.state(), v1::PENDING);
    emails_used_.insert(email);
    return comment;
  }

  // Inserts `count` pending comments straight into the database, oldest
  // first, and returns their names.
  static std::vector<std::string> InsertPending(const std::string& thread,
                                                int count) {
    const std::string ids = Query(absl::StrCat(
        "INSERT INTO comments (id, thread, author_name, body, state)"
        " SELECT gen_random_uuid(), '",
        thread,
        "', 'Reader', 'Comment ' || i, 'PENDING'"
        " FROM generate_series(1, ",
        count, ") AS i RETURNING id"));
    std::vector<std::string> names;
    for (absl::string_view id : absl::StrSplit(ids, '\n')) {
      names.push_back(absl::StrCat("threads/", thread, "/comments/", id));
    }
    return names;
  }

  static std::vector<std::string> PublicNames(const std::string& thread) {
    v1::ListCommentsRequest request;
    request.set_parent("threads/" + thread);
    absl::StatusOr<v1::ListCommentsResponse> listed =
        Public().ListComments(request);
    EXPECT_TRUE(listed.ok()) << listed.status();
    const v1::ListCommentsResponse response =
        listed.value_or(v1::ListCommentsResponse());
    std::vector<std::string> names;
    for (const v1::Comment& comment : response.comments()) {
      names.push_back(comment.name());
    }
    return names;
  }

  static int64_t PublicCount(const std::string& thread) {
    v1::CountCommentsRequest request;
    request.add_parents("threads/" + thread);
    absl::StatusOr<v1::CountCommentsResponse> counted =
        Public().CountComments(request);
    EXPECT_TRUE(counted.ok()) << counted.status();
    const v1::CountCommentsResponse response =
        counted.value_or(v1::CountCommentsResponse());
    return response.counts_size() == 1 ? response.counts(0).approved_count()
                                       : -1;
  }

  static std::vector<std::string> BadFields(const absl::Status& status) {
    std::vector<std::string> fields;
    if (auto bad_request = GetBadRequest(status)) {
      for (const auto& violation : bad_request->field_violations()) {
        fields.push_back(violation.field());
      }
    }
    return fields;
  }

  static testing::ModerationHarness* harness_;
  static testing::ServerProcess* server_;
  static std::shared_ptr<grpc::Channel>* channel_;
  static std::map<std::string, std::string> tokens_;
  static std::set<std::string> emails_used_;
};

testing::ModerationHarness* ModerationE2eTest::harness_ = nullptr;
testing::ServerProcess* ModerationE2eTest::server_ = nullptr;
std::shared_ptr<grpc::Channel>* ModerationE2eTest::channel_ = nullptr;
std::map<std::string, std::string> ModerationE2eTest::tokens_;
std::set<std::string> ModerationE2eTest::emails_used_;

TEST_F(ModerationE2eTest, ModeratorsCommandAddsListsAndRevokes) {
  auto added = harness_->ModeratorsCommand({"add", "cli-carol"});
  ASSERT_TRUE(added.ok()) << added.status();
  EXPECT_EQ(added->exit_code, 0) << added->err;
  // Only the token goes to standard output, so scripts can capture it.
  EXPECT_THAT(added->out, ::testing::MatchesRegex("[A-Za-z0-9_-]{43}\n"));
  EXPECT_THAT(added->err, HasSubstr("shown only this once"));
  auto stored = Query(
      "SELECT encode(token_hash, 'hex') FROM moderators WHERE name = "
      "'cli-carol'");
  EXPECT_THAT(stored, SizeIs(64));
  EXPECT_THAT(stored, Not(HasSubstr(added->out.substr(0, 43))));

  auto again = harness_->ModeratorsCommand({"add", "cli-carol"});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->exit_code, 1);
  EXPECT_EQ(again->out, "");

  auto listed = harness_->ModeratorsCommand({"list"});
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(listed->exit_code, 0);
  EXPECT_THAT(listed->out, ::testing::StartsWith("NAME"));
  EXPECT_THAT(listed->out,
              ::testing::ContainsRegex("\ncli-carol +[-0-9T:Z]+ +-\n"));
  EXPECT_THAT(listed->out, ::testing::ContainsRegex("\nrex +[-0-9T:Z]+ +20"));

  auto revoked = harness_->ModeratorsCommand({"revoke", "cli-carol"});
  ASSERT_TRUE(revoked.ok());
  EXPECT_EQ(revoked->exit_code, 0) << revoked->err;
  auto unknown = harness_->ModeratorsCommand({"revoke", "nobody"});
  ASSERT_TRUE(unknown.ok());
  EXPECT_EQ(unknown->exit_code, 1);
  for (const std::vector<std::string>& usage :
       {std::vector<std::string>{"add", "auto"},
        std::vector<std::string>{"add", "bad name"},
        std::vector<std::string>{"add"},
        std::vector<std::string>{"remove", "x"}, std::vector<std::string>{}}) {
    auto result = harness_->ModeratorsCommand(usage);
    ASSERT_TRUE(result.ok());
    EXPECT_EQ(result->exit_code, 2) << absl::StrJoin(usage, " ");
    EXPECT_THAT(result->err, HasSubstr("usage:"));
  }
}

TEST_F(ModerationE2eTest, EveryMethodRefusesMissingWrongAndRevokedTokens) {
  const std::vector<std::string> pending = InsertPending("auth", 1);
  const std::string name = pending[0];
  const std::string wrong_token = std::string(43, 'A');
  struct Credentials {
    const char* label;
    std::vector<std::pair<std::string, std::string>> metadata;
  };
  const std::vector<Credentials> refused = {
      {"no token", {}},
      {"wrong token", {{"authorization", "Bearer " + wrong_token}}},
      {"revoked token", {{"authorization", "Bearer " + tokens_["rex"]}}},
      {"malformed token", {{"authorization", "Bearer not-a-token"}}},
      {"other scheme", {{"authorization", "Basic " + tokens_["ann"]}}},
      {"bare token", {{"authorization", tokens_["ann"]}}},
  };
  const std::string erasures_before =
      Query("SELECT count(*) FROM moderation_events WHERE action = 'ERASE'");
  int checked = 0;
  for (const Credentials& credentials : refused) {
    // No bearer token: the "authorization" entry, if any, is the metadata's.
    client::ModerationClient calls =
        testing::ModeratorClient(*channel_, "", credentials.metadata);
    std::vector<std::pair<std::string, absl::Status>> results;
    v1::ListQueueRequest list;
    results.emplace_back("ListQueue", calls.ListQueue(list).status());
    v1::GetModeratedCommentRequest get;
    get.set_name(name);
    results.emplace_back("GetModeratedComment",
                         calls.GetModeratedComment(get.name()).status());
    v1::ApproveCommentRequest approve;
    approve.set_name(name);
    results.emplace_back("ApproveComment",
                         calls.ApproveComment(approve).status());
    v1::RejectCommentRequest reject;
    reject.set_name(name);
    results.emplace_back("RejectComment", calls.RejectComment(reject).status());
    v1::MarkCommentSpamRequest spam;
    spam.set_name(name);
    results.emplace_back("MarkCommentSpam",
                         calls.MarkCommentSpam(spam).status());
    v1::BatchModerateCommentsRequest batch;
    batch.add_names(name);
    batch.set_action(v1::APPROVE);
    results.emplace_back("BatchModerateComments",
                         calls.BatchModerateComments(batch).status());
    v1::ListModerationEventsRequest events;
    results.emplace_back("ListModerationEvents",
                         calls.ListModerationEvents(events).status());
    v1::EraseAuthorDataRequest erase;
    erase.set_author_email("someone@example.org");
    results.emplace_back("EraseAuthorData",
                         calls.EraseAuthorData(erase).status());
    {
      v1::WatchQueueRequest watch;
      std::unique_ptr<client::QueueWatch> stream =
          calls.WatchQueue(watch, absl::Seconds(30));
      v1::QueueEvent event;
      EXPECT_FALSE(stream->Next(&event));
      results.emplace_back("WatchQueue", stream->Finish());
    }
    ASSERT_EQ(results.size(), 9u);
    for (const auto& [method, status] : results) {
      EXPECT_EQ(status.code(), absl::StatusCode::kUnauthenticated)
          << method << " with " << credentials.label << ": " << status;
      ASSERT_TRUE(GetErrorInfo(status).has_value()) << method;
      EXPECT_EQ(GetErrorInfo(status)->reason(), "INVALID_MODERATOR_TOKEN");
      ++checked;
    }
  }
  EXPECT_EQ(checked, 9 * 6);
  // Nothing was done in anyone's name.
  const std::string id = name.substr(name.rfind('/') + 1);
  EXPECT_EQ(
      Query(absl::StrCat("SELECT state FROM comments WHERE id = '", id, "'")),
      "PENDING");
  EXPECT_EQ(Query("SELECT count(*) FROM moderation_events WHERE thread = "
                  "'auth'"),
            "0");
  EXPECT_EQ(
      Query("SELECT count(*) FROM moderation_events WHERE action = 'ERASE'"),
      erasures_before);
  // The same calls with a valid token go through.
  v1::GetModeratedCommentRequest get;
  get.set_name(name);
  EXPECT_TRUE(As("ann").GetModeratedComment(get.name()).ok());
}

TEST_F(ModerationE2eTest, SpoofedModeratorNamesNeverReachTheAuditTrail) {
  const std::vector<std::string> names = InsertPending("spoof", 3);
  client::ModerationClient spoofing =
      As("ann", {{"x-moderator", "mallory"},
                 {"moderator", "mallory"},
                 {"x-forwarded-user", "mallory"},
                 {"x-remote-user", "mallory"}});
  v1::RejectCommentRequest reject;
  reject.set_name(names[0]);
  reject.set_reason("moderator: mallory");
  ASSERT_TRUE(spoofing.RejectComment(reject).ok());
  v1::BatchModerateCommentsRequest batch;
  batch.add_names(names[1]);
  batch.add_names(names[2]);
  batch.set_action(v1::MARK_SPAM);
  auto batched = spoofing.BatchModerateComments(batch);
  ASSERT_TRUE(batched.ok()) << batched.status();

  EXPECT_EQ(Query("SELECT string_agg(DISTINCT moderator, ',') FROM "
                  "moderation_events WHERE thread = 'spoof'"),
            "ann");
  EXPECT_EQ(Query("SELECT count(*) FROM moderation_events WHERE moderator "
                  "LIKE '%mallory%'"),
            "0");
  v1::ListModerationEventsRequest events;
  events.set_comment(names[0]);
  auto trail = spoofing.ListModerationEvents(events);
  ASSERT_TRUE(trail.ok());
  ASSERT_EQ(trail->events_size(), 1);
  EXPECT_EQ(trail->events(0).moderator(), "ann");
  // The reason is the moderator's text, kept as written.
  EXPECT_EQ(trail->events(0).reason(), "moderator: mallory");
}

TEST_F(ModerationE2eTest, ModeratedViewShowsWhatModeratorsNeed) {
  const std::string email = "ada.view@example.org";
  const v1::Comment created =
      Submit("view", email, "A comment with everything to look at.");
  const std::string id = created.name().substr(created.name().rfind('/') + 1);
  Query(
      absl::StrCat("UPDATE comments SET flags = '{links,hold_word}' WHERE "
                   "id = '",
                   id, "'"));
  v1::GetModeratedCommentRequest get;
  get.set_name(created.name());
  auto view = As("ann").GetModeratedComment(get.name());
  ASSERT_TRUE(view.ok()) << view.status();
  EXPECT_EQ(view->comment().name(), created.name());
  EXPECT_EQ(view->comment().body(), "A comment with everything to look at.");
  EXPECT_EQ(view->author_email(), email);
  EXPECT_EQ(view->client_ip(), "127.0.0.1");
  EXPECT_EQ(view->user_agent(), "TestBrowser/1.0");
  EXPECT_THAT(view->flags(), ElementsAre("links", "hold_word"));
  EXPECT_EQ(view->etag(), "1");
  EXPECT_EQ(view->history_size(), 0);
  EXPECT_GT(view->update_time().seconds(), 0);

  get.set_name("threads/other/comments/" + id);
  EXPECT_EQ(As("ann").GetModeratedComment(get.name()).status().code(),
            absl::StatusCode::kNotFound);
  get.set_name("comments/" + id);
  auto bad = As("ann").GetModeratedComment(get.name());
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(BadFields(bad.status()), ElementsAre("name"));
}

TEST_F(ModerationE2eTest, OnlyApprovedCommentsArePublicAfterEachTransition) {
  const v1::Comment created = Submit("public", "ada.public@example.org",
                                     "Is this visible to the public yet?");
  const std::string& name = created.name();
  EXPECT_THAT(PublicNames("public"), ElementsAre());
  EXPECT_EQ(PublicCount("public"), 0);

  v1::ApproveCommentRequest approve;
  approve.set_name(name);
  approve.set_etag("1");
  auto approved = As("ann").ApproveComment(approve);
  ASSERT_TRUE(approved.ok()) << approved.status();
  EXPECT_EQ(approved->comment().state(), v1::APPROVED);
  EXPECT_EQ(approved->etag(), "2");
  EXPECT_THAT(PublicNames("public"), ElementsAre(name));
  EXPECT_EQ(PublicCount("public"), 1);

  // Approving again is refused, naming the state, and writes no audit row.
  approve.clear_etag();
  auto twice = As("bob").ApproveComment(approve);
  EXPECT_EQ(twice.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(twice.status().message(), "comment is already APPROVED");
  EXPECT_EQ(GetErrorInfo(twice.status())->reason(), "INVALID_TRANSITION");

  // A stale etag loses.
  v1::RejectCommentRequest reject;
  reject.set_name(name);
  reject.set_etag("1");
  reject.set_reason("Off topic.");
  auto stale = As("bob").RejectComment(reject);
  EXPECT_EQ(stale.status().code(), absl::StatusCode::kAborted);
  EXPECT_EQ(GetErrorInfo(stale.status())->reason(), "STALE_ETAG");

  reject.set_etag(approved->etag());
  auto rejected = As("bob").RejectComment(reject);
  ASSERT_TRUE(rejected.ok()) << rejected.status();
  EXPECT_EQ(rejected->comment().state(), v1::REJECTED);
  EXPECT_THAT(PublicNames("public"), ElementsAre());
  EXPECT_EQ(PublicCount("public"), 0);

  auto republished = As("ann").ApproveComment(approve);
  ASSERT_TRUE(republished.ok()) << republished.status();
  EXPECT_THAT(PublicNames("public"), ElementsAre(name));
  EXPECT_EQ(PublicCount("public"), 1);

  v1::MarkCommentSpamRequest spam;
  spam.set_name(name);
  auto spammed = As("ann").MarkCommentSpam(spam);
  ASSERT_TRUE(spammed.ok()) << spammed.status();
  EXPECT_EQ(spammed->comment().state(), v1::SPAM);
  EXPECT_THAT(PublicNames("public"), ElementsAre());
  EXPECT_EQ(PublicCount("public"), 0);

  // SPAM is undone only by approving.
  reject.clear_etag();
  auto from_spam = As("ann").RejectComment(reject);
  EXPECT_EQ(from_spam.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(from_spam.status().message(),
            "cannot REJECT a comment that is SPAM");

  // The history: every transition once, in order, with who and why.
  ASSERT_EQ(spammed->history_size(), 4);
  const auto& history = spammed->history();
  EXPECT_EQ(history[0].action(), v1::APPROVE);
  EXPECT_EQ(history[0].moderator(), "ann");
  EXPECT_EQ(history[0].from_state(), v1::PENDING);
  EXPECT_EQ(history[0].to_state(), v1::APPROVED);
  EXPECT_EQ(history[1].action(), v1::REJECT);
  EXPECT_EQ(history[1].moderator(), "bob");
  EXPECT_EQ(history[1].reason(), "Off topic.");
  EXPECT_EQ(history[1].to_state(), v1::REJECTED);
  EXPECT_EQ(history[2].action(), v1::APPROVE);
  EXPECT_EQ(history[2].from_state(), v1::REJECTED);
  EXPECT_EQ(history[3].action(), v1::MARK_SPAM);
  EXPECT_EQ(history[3].from_state(), v1::APPROVED);
  EXPECT_EQ(history[3].to_state(), v1::SPAM);
  EXPECT_EQ(history[3].comment(), name);
}

TEST_F(ModerationE2eTest, BadDecisionsNameEveryBadField) {
  v1::RejectCommentRequest reject;
  reject.set_name("threads/x/comments/not-a-uuid");
  reject.set_etag("W/\"3\"");
  reject.set_reason(std::string(1001, 'r'));
  auto refused = As("ann").RejectComment(reject);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(BadFields(refused.status()),
              ElementsAre("name", "etag", "reason"));

  v1::ApproveCommentRequest unknown;
  unknown.set_name("threads/x/comments/00000000-0000-4000-8000-000000000000");
  EXPECT_EQ(As("ann").ApproveComment(unknown).status().code(),
            absl::StatusCode::kNotFound);
}

// 8 moderators work the same 200 pending comments at once, each reading the
// queue first and acting with the etags it read, as a real moderation UI
// does. Exactly one decision per comment wins; every other is ABORTED
// (its etag went stale), whichever action it was.
TEST_F(ModerationE2eTest, RacingModeratorsMakeExactlyOneTransitionEach) {
  constexpr int kModerators = 8;
  constexpr int kComments = 200;
  const std::vector<std::string> names = InsertPending("race", kComments);
  ASSERT_EQ(names.size(), static_cast<size_t>(kComments));
  std::vector<std::string> moderator_tokens;
  for (int m = 0; m < kModerators; ++m) {
    auto token = harness_->AddModerator(absl::StrCat("racer", m));
    ASSERT_TRUE(token.ok()) << token.status();
    moderator_tokens.push_back(*token);
  }

  const v1::ModerationAction kActions[] = {v1::APPROVE, v1::REJECT,
                                           v1::MARK_SPAM};
  // outcome[m][c]: moderator m's result on comment c.
  std::vector<std::vector<absl::StatusCode>> outcome(
      kModerators, std::vector<absl::StatusCode>(kComments));
  std::vector<int> read_counts(kModerators, 0);
  absl::Barrier* everyone_has_read = new absl::Barrier(kModerators);
  std::vector<std::thread> moderators;
  for (int m = 0; m < kModerators; ++m) {
    moderators.emplace_back([&, m] {
      client::ModerationClient calls = testing::ModeratorClient(
          testing::PlaintextChannel(server_->address()), moderator_tokens[m]);
      std::map<std::string, std::string> etags;
      v1::ListQueueRequest list;
      list.set_parent("threads/race");
      list.set_page_size(100);
      do {
        auto page = calls.ListQueue(list);
        if (!page.ok()) break;
        for (const v1::ModeratedComment& comment : page->comments()) {
          etags[comment.comment().name()] = comment.etag();
        }
        list.set_page_token(page->next_page_token());
      } while (!list.page_token().empty());
      read_counts[m] = static_cast<int>(etags.size());
      if (everyone_has_read->Block()) delete everyone_has_read;

      std::vector<int> order(kComments);
      for (int c = 0; c < kComments; ++c) order[c] = c;
      std::shuffle(order.begin(), order.end(), std::mt19937(m));
      for (int c : order) {
        const std::string& name = names[c];
        const std::string& etag = etags[name];
        absl::Status status;
        switch (kActions[(m + c) % 3]) {
          case v1::APPROVE: {
            v1::ApproveCommentRequest request;
            request.set_name(name);
            request.set_etag(etag);
            status = calls.ApproveComment(request).status();
            break;
          }
          case v1::REJECT: {
            v1::RejectCommentRequest request;
            request.set_name(name);
            request.set_etag(etag);
            request.set_reason("race");
            status = calls.RejectComment(request).status();
            break;
          }
          default: {
            v1::MarkCommentSpamRequest request;
            request.set_name(name);
            request.set_etag(etag);
            status = calls.MarkCommentSpam(request).status();
            break;
          }
        }
        outcome[m][c] = status.code();
      }
    });
  }
  for (std::thread& moderator : moderators) moderator.join();

  for (int m = 0; m < kModerators; ++m) EXPECT_EQ(read_counts[m], kComments);
  std::map<absl::StatusCode, int> codes;
  std::map<std::string, int> expected_states;
  for (int c = 0; c < kComments; ++c) {
    int winners = 0;
    for (int m = 0; m < kModerators; ++m) {
      ++codes[outcome[m][c]];
      if (outcome[m][c] == absl::StatusCode::kOk) {
        ++winners;
        const char* state[] = {"APPROVED", "REJECTED", "SPAM"};
        ++expected_states[state[(m + c) % 3]];
      }
    }
    EXPECT_EQ(winners, 1) << names[c];
  }
  // Losers are told their view was stale, nothing else.
  EXPECT_EQ(codes[absl::StatusCode::kOk], kComments);
  EXPECT_EQ(codes[absl::StatusCode::kAborted], kComments * (kModerators - 1));
  EXPECT_EQ(codes.size(), 2u);
  // Audit rows equal transitions, and each names the winner.
  EXPECT_EQ(Query("SELECT count(*) FROM moderation_events WHERE thread = "
                  "'race'"),
            absl::StrCat(kComments));
  EXPECT_EQ(Query("SELECT count(DISTINCT comment_id) FROM moderation_events "
                  "WHERE thread = 'race'"),
            absl::StrCat(kComments));
  EXPECT_EQ(Query("SELECT count(*) FROM comments WHERE thread = 'race' AND "
                  "(state = 'PENDING' OR version <> 2)"),
            "0");
  for (const auto& [state, count] : expected_states) {
    EXPECT_EQ(Query(absl::StrCat("SELECT count(*) FROM comments WHERE thread "
                                 "= 'race' AND state = '",
                                 state, "'")),
              absl::StrCat(count))
        << state;
  }
  EXPECT_EQ(Query("SELECT count(*) FROM moderation_events e JOIN comments c"
                  " ON c.id = e.comment_id WHERE e.thread = 'race'"
                  " AND e.to_state <> c.state"),
            "0");
}

TEST_F(ModerationE2eTest, BatchGivesEachCommentItsOwnResult) {
  const std::vector<std::string> names = InsertPending("batch", 3);
  v1::ApproveCommentRequest approve;
  approve.set_name(names[2]);
  ASSERT_TRUE(As("ann").ApproveComment(approve).ok());

  v1::BatchModerateCommentsRequest batch;
  batch.set_action(v1::REJECT);
  batch.set_reason("Spam-like links.");
  batch.add_names(names[0]);
  batch.add_names("threads/batch/comments/not-a-uuid");
  batch.add_names(names[1]);
  batch.add_names(
      "threads/batch/comments/00000000-0000-4000-8000-000000000000");
  batch.add_names(names[2]);  // APPROVED -> REJECTED is legal
  batch.add_names(names[0]);  // already REJECTED by the first entry
  auto result = As("bob").BatchModerateComments(batch);
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_EQ(result->results_size(), 6);
  std::vector<absl::StatusCode> codes;
  for (const auto& entry : result->results()) {
    codes.push_back(client::FromRpcStatus(entry.status()).code());
  }
  EXPECT_THAT(
      codes, ElementsAre(
                 absl::StatusCode::kOk, absl::StatusCode::kInvalidArgument,
                 absl::StatusCode::kOk, absl::StatusCode::kNotFound,
                 absl::StatusCode::kOk, absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(result->results(1).name(), "threads/batch/comments/not-a-uuid");
  EXPECT_THAT(BadFields(client::FromRpcStatus(result->results(1).status())),
              ElementsAre("names[1]"));
  EXPECT_EQ(result->results(0).comment().comment().state(), v1::REJECTED);
  EXPECT_EQ(result->results(0).comment().history(0).reason(),
            "Spam-like links.");
  EXPECT_FALSE(result->results(3).has_comment());
  EXPECT_EQ(result->results(5).status().message(),
            "comment is already REJECTED");
  EXPECT_EQ(Query("SELECT count(*) FROM moderation_events WHERE thread = "
                  "'batch' AND moderator = 'bob'"),
            "3");

  v1::BatchModerateCommentsRequest bad;
  bad.set_action(v1::ERASE);
  bad.set_reason(std::string("nul\0", 4));
  auto refused = As("bob").BatchModerateComments(bad);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(BadFields(refused.status()),
              ElementsAre("names", "action", "reason"));
  for (int i = 0; i < 501; ++i) bad.add_names(names[0]);
  bad.set_action(v1::APPROVE);
  bad.clear_reason();
  EXPECT_THAT(BadFields(As("bob").BatchModerateComments(bad).status()),
              ElementsAre("names"));
}

TEST_F(ModerationE2eTest, QueueIsOldestFirstByStateAndThreadWithTotal) {
  const std::vector<std::string> names = InsertPending("queue-a", 5);
  InsertPending("queue-b", 2);
  v1::RejectCommentRequest reject;
  reject.set_name(names[4]);
  ASSERT_TRUE(As("ann").RejectComment(reject).ok());

  v1::ListQueueRequest list;
  list.set_parent("threads/queue-a");
  list.set_page_size(2);
  std::vector<std::string> walked;
  int pages = 0;
  do {
    auto page = As("ann").ListQueue(list);
    ASSERT_TRUE(page.ok()) << page.status();
    EXPECT_EQ(page->total_size(), 4);
    for (const auto& comment : page->comments()) {
      walked.push_back(comment.comment().name());
      EXPECT_EQ(comment.comment().state(), v1::PENDING);
    }
    list.set_page_token(page->next_page_token());
    ASSERT_LT(++pages, 5);
  } while (!list.page_token().empty());
  EXPECT_EQ(walked, std::vector<std::string>(names.begin(), names.begin() + 4));
  EXPECT_EQ(pages, 2);

  v1::ListQueueRequest rejected;
  rejected.set_parent("threads/queue-a");
  rejected.set_state(v1::REJECTED);
  auto page = As("ann").ListQueue(rejected);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->comments_size(), 1);
  EXPECT_EQ(page->comments(0).comment().name(), names[4]);
  EXPECT_EQ(page->comments(0).history_size(), 1);
  EXPECT_EQ(page->total_size(), 1);
  EXPECT_EQ(page->next_page_token(), "");

  // A token belongs to its listing.
  list.set_page_size(2);
  auto first = As("ann").ListQueue(list);
  ASSERT_TRUE(first.ok());
  rejected.set_page_token(first->next_page_token());
  EXPECT_EQ(As("ann").ListQueue(rejected).status().code(),
            absl::StatusCode::kInvalidArgument);

  v1::ListQueueRequest bad;
  bad.set_parent("queue-a");
  bad.set_state(static_cast<v1::CommentState>(42));
  bad.set_page_size(-1);
  auto refused = As("ann").ListQueue(bad);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(BadFields(refused.status()), ElementsAre("state", "parent"));
}

TEST_F(ModerationE2eTest, ModerationEventsPageThroughTheTrail) {
  const std::vector<std::string> names = InsertPending("trail", 1);
  v1::ApproveCommentRequest approve;
  approve.set_name(names[0]);
  v1::RejectCommentRequest reject;
  reject.set_name(names[0]);
  v1::MarkCommentSpamRequest spam;
  spam.set_name(names[0]);
  ASSERT_TRUE(As("ann").ApproveComment(approve).ok());
  ASSERT_TRUE(As("bob").RejectComment(reject).ok());
  ASSERT_TRUE(As("ann").MarkCommentSpam(spam).ok());

  v1::ListModerationEventsRequest request;
  request.set_comment(names[0]);
  request.set_page_size(2);
  std::vector<v1::ModerationAction> actions;
  std::vector<std::string> moderators;
  do {
    auto page = As("bob").ListModerationEvents(request);
    ASSERT_TRUE(page.ok()) << page.status();
    for (const auto& event : page->events()) {
      actions.push_back(event.action());
      moderators.push_back(event.moderator());
      EXPECT_EQ(event.comment(), names[0]);
      EXPECT_GT(event.create_time().seconds(), 0);
    }
    request.set_page_token(page->next_page_token());
  } while (!request.page_token().empty());
  EXPECT_THAT(actions, ElementsAre(v1::APPROVE, v1::REJECT, v1::MARK_SPAM));
  EXPECT_THAT(moderators, ElementsAre("ann", "bob", "ann"));

  // Every comment's events, in pages of at most 100: this test's come last.
  v1::ListModerationEventsRequest all;
  all.set_page_size(1000);
  std::vector<v1::ModerationEvent> everything;
  do {
    auto page = As("bob").ListModerationEvents(all);
    ASSERT_TRUE(page.ok()) << page.status();
    EXPECT_LE(page->events_size(), 100);
    everything.insert(everything.end(), page->events().begin(),
                      page->events().end());
    all.set_page_token(page->next_page_token());
  } while (!all.page_token().empty());
  ASSERT_GE(everything.size(), 3u);
  EXPECT_EQ(everything.back().comment(), names[0]);
  EXPECT_EQ(everything.back().action(), v1::MARK_SPAM);

  v1::ListModerationEventsRequest bad;
  bad.set_comment("trail");
  EXPECT_THAT(BadFields(As("bob").ListModerationEvents(bad).status()),
              ElementsAre("comment"));
}

TEST_F(ModerationE2eTest, EraseAuthorDataAnonymisesOnceAndIsAudited) {
  const std::string email = "ada.erase@example.org";
  const v1::Comment first =
      Submit("erase-1", email, "First words from an author who will leave.");
  const v1::Comment second =
      Submit("erase-2", email, "Second words from the same author.");
  const v1::Comment other = Submit("erase-1", "ada.stays@example.org",
                                   "Words from an author who stays.");
  v1::ApproveCommentRequest approve;
  approve.set_name(first.name());
  ASSERT_TRUE(As("ann").ApproveComment(approve).ok());

  v1::EraseAuthorDataRequest erase;
  erase.set_author_email("  ADA.Erase@Example.org ");  // trimmed, any case
  auto erased = As("ann").EraseAuthorData(erase);
  ASSERT_TRUE(erased.ok()) << erased.status();
  EXPECT_EQ(erased->affected_comments(), 2);
  auto again = As("ann").EraseAuthorData(erase);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->affected_comments(), 0);

  v1::GetModeratedCommentRequest get;
  get.set_name(second.name());
  auto view = As("ann").GetModeratedComment(get.name());
  ASSERT_TRUE(view.ok());
  EXPECT_EQ(view->comment().author_name(), "Anonymous");
  EXPECT_EQ(view->comment().author_url(), "");
  EXPECT_EQ(view->comment().body(), "Second words from the same author.");
  EXPECT_EQ(view->author_email(), "");
  EXPECT_EQ(view->client_ip(), "");
  EXPECT_EQ(view->user_agent(), "");
  get.set_name(other.name());
  auto kept = As("ann").GetModeratedComment(get.name());
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ(kept->author_email(), "ada.stays@example.org");
  // The published comment stays published, anonymously.
  absl::StatusOr<v1::Comment> shown = Public().GetComment(first.name());
  ASSERT_TRUE(shown.ok()) << shown.status();
  EXPECT_EQ(shown->author_name(), "Anonymous");

  EXPECT_EQ(Query("SELECT string_agg(reason, ',' ORDER BY id) FROM "
                  "moderation_events WHERE action = 'ERASE' AND moderator = "
                  "'ann'"),
            "anonymised 2 comments,anonymised 0 comments");

  // Deleting: the comments go, and so does the public view.
  const v1::Comment doomed =
      Submit("erase-3", "ada.delete@example.org", "Delete me entirely.");
  v1::EraseAuthorDataRequest remove;
  remove.set_author_email("ada.delete@example.org");
  remove.set_delete_comments(true);
  auto deleted = As("bob").EraseAuthorData(remove);
  ASSERT_TRUE(deleted.ok());
  EXPECT_EQ(deleted->affected_comments(), 1);
  auto deleted_again = As("bob").EraseAuthorData(remove);
  ASSERT_TRUE(deleted_again.ok());
  EXPECT_EQ(deleted_again->affected_comments(), 0);
  get.set_name(doomed.name());
  EXPECT_EQ(As("ann").GetModeratedComment(get.name()).status().code(),
            absl::StatusCode::kNotFound);

  v1::EraseAuthorDataRequest bad;
  bad.set_author_email("not an address");
  auto refused = As("ann").EraseAuthorData(bad);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(BadFields(refused.status()), ElementsAre("author_email"));
  EXPECT_THAT(std::string(refused.status().message()),
              Not(HasSubstr("not an address")));

  // The trail says what was done, never to whom.
  const std::string trail = Query("SELECT e::text FROM moderation_events e");
  for (const std::string& used : emails_used_) {
    EXPECT_THAT(trail, Not(HasSubstr(used)));
  }
}

// A server of its own, so that stopping it ends no other test's server: a
// decision is logged with who made it, and neither the author's address
// nor the moderator's token appears in any line up to a clean exit.
TEST_F(ModerationE2eTest, LogsHoldNoEmailsOrTokensThroughShutdown) {
  auto server = testing::ServerProcess::Start(COMMENTS_SERVER_PATH,
                                              harness_->ServerArgs());
  ASSERT_TRUE(server.ok()) << server.status();
  {
    std::shared_ptr<grpc::Channel> channel =
        testing::PlaintextChannel((*server)->address());
    const std::string email = "ada.logs@example.org";
    emails_used_.insert(email);
    v1::CreateCommentRequest request;
    request.set_parent("threads/logs");
    request.mutable_comment()->set_author_name("Ada Reader");
    request.mutable_comment()->set_author_email(email);
    request.mutable_comment()->set_body("Logged without its address.");
    auto created = client::CommentClient(channel, testing::ModeratorOptions(""))
                       .CreateComment(request);
    ASSERT_TRUE(created.ok()) << created.status();
    v1::ApproveCommentRequest approve;
    approve.set_name(created->name());
    auto approved = testing::ModeratorClient(channel, tokens_["ann"])
                        .ApproveComment(approve);
    ASSERT_TRUE(approved.ok()) << approved.status();
    // An idle client connection holds the server's shutdown to the end of
    // the grace period (with no call open, the client never reads the
    // GOAWAY), so ours is closed first.
  }
  auto stopped = (*server)->Stop(SIGTERM, absl::Seconds(10));
  ASSERT_TRUE(stopped.ok()) << stopped.status();
  EXPECT_EQ(*stopped, 0);
  const std::vector<std::string> logs = (*server)->LogLines();
  EXPECT_THAT(logs,
              ::testing::Contains(HasSubstr("\"msg\":\"comment moderated\"")));
  ExpectCleanLogs(logs);
}

}  // namespace
}  // namespace comments
