// WatchQueue across replicas: two server processes on one database; a
// moderator watching one sees what is submitted and decided through the
// other, each event once, and streams end promptly on shutdown.
#include <signal.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "client/lib/call_support.h"
#include "client/lib/comment_client.h"
#include "client/lib/moderation_client.h"
#include "comments/v1/moderation.grpc.pb.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "tests/e2e/moderation_harness.h"
#include "tests/support/server_process.h"

namespace comments {
namespace {

using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using Kind = v1::QueueEvent::Kind;

// One open WatchQueue stream.
// Raw stub: client::QueueWatch cannot wait for the initial metadata.
class Watcher {
 public:
  Watcher(const std::string& address, const std::string& token,
          v1::WatchQueueRequest request)
      : channel_(testing::PlaintextChannel(address)),
        stub_(v1::ModerationService::NewStub(channel_)) {
    client::PrepareContext(testing::ModeratorOptions(token),
                           absl::Now() + absl::Seconds(60), context_);
    reader_ = stub_->WatchQueue(&context_, request);
    // The server sends its initial metadata once the subscription is in
    // place: from then on, nothing committed is missed.
    reader_->WaitForInitialMetadata();
  }

  // The next event; false when the stream ended.
  bool Next(v1::QueueEvent* event) { return reader_->Read(event); }

  // Reads until `done` holds for an event (inclusive); returns them all.
  template <typename Predicate>
  std::vector<v1::QueueEvent> ReadUntil(Predicate done) {
    std::vector<v1::QueueEvent> events;
    v1::QueueEvent event;
    while (reader_->Read(&event)) {
      events.push_back(event);
      if (done(event)) break;
    }
    return events;
  }

  absl::Status Finish() { return client::FromGrpcStatus(reader_->Finish()); }
  void Cancel() { context_.TryCancel(); }

 private:
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::ModerationService::Stub> stub_;
  grpc::ClientContext context_;
  std::unique_ptr<grpc::ClientReader<v1::QueueEvent>> reader_;
};

class WatchE2eTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto harness =
        testing::ModerationHarness::Start(COMMENTS_SERVER_PATH, "watch");
    ASSERT_TRUE(harness.ok()) << harness.status();
    harness_ = harness->release();
    for (testing::ServerProcess** server : {&server_a_, &server_b_}) {
      auto started = testing::ServerProcess::Start(COMMENTS_SERVER_PATH,
                                                   harness_->ServerArgs());
      ASSERT_TRUE(started.ok()) << started.status();
      *server = started->release();
    }
    auto token = harness_->AddModerator("ann");
    ASSERT_TRUE(token.ok()) << token.status();
    token_ = new std::string(*token);
  }

  static void TearDownTestSuite() {
    delete server_a_;
    delete server_b_;
    delete harness_;
    delete token_;
  }

  static std::string Submit(const testing::ServerProcess& server,
                            const std::string& thread, int n) {
    client::CommentClient comments(testing::PlaintextChannel(server.address()),
                                   testing::ModeratorOptions(""));
    v1::CreateCommentRequest request;
    request.set_parent("threads/" + thread);
    request.mutable_comment()->set_author_name("Watched Reader");
    request.mutable_comment()->set_author_email(
        absl::StrCat("reader", n, "@example.org"));
    request.mutable_comment()->set_body(
        absl::StrCat("Comment number ", n, " on ", thread));
    absl::StatusOr<v1::Comment> comment = comments.CreateComment(request);
    EXPECT_TRUE(comment.ok()) << comment.status();
    return comment.ok() ? comment->name() : "";
  }

  static client::ModerationClient Moderator(
      const testing::ServerProcess& server) {
    return testing::ModeratorClient(testing::PlaintextChannel(server.address()),
                                    *token_);
  }

  static testing::ModerationHarness* harness_;
  static testing::ServerProcess* server_a_;
  static testing::ServerProcess* server_b_;
  static std::string* token_;
};

testing::ModerationHarness* WatchE2eTest::harness_ = nullptr;
testing::ServerProcess* WatchE2eTest::server_a_ = nullptr;
testing::ServerProcess* WatchE2eTest::server_b_ = nullptr;
std::string* WatchE2eTest::token_ = nullptr;

TEST_F(WatchE2eTest, WatcherOnOneServerSeesEverySubmissionThroughAnother) {
  Watcher everything(server_a_->address(), *token_, {});
  v1::WatchQueueRequest one_thread;
  one_thread.set_parent("threads/watch-b");
  Watcher filtered(server_a_->address(), *token_, one_thread);

  std::vector<std::string> submitted;
  for (int i = 0; i < 10; ++i) {
    submitted.push_back(Submit(*server_b_, "watch-a", i));
  }
  const std::string other = Submit(*server_b_, "watch-b", 100);
  // Decisions through both servers.
  v1::ApproveCommentRequest approve;
  approve.set_name(submitted[2]);
  ASSERT_TRUE(Moderator(*server_b_).ApproveComment(approve).ok());
  v1::MarkCommentSpamRequest spam;
  spam.set_name(submitted[7]);
  ASSERT_TRUE(Moderator(*server_a_).MarkCommentSpam(spam).ok());
  // APPROVED -> REJECTED does not touch the queue.
  v1::RejectCommentRequest reject;
  reject.set_name(submitted[2]);
  ASSERT_TRUE(Moderator(*server_b_).RejectComment(reject).ok());
  // Notifications arrive in commit order: once the marker's departure is
  // seen, everything before it has been.
  const std::string marker = Submit(*server_b_, "watch-a", 999);
  approve.set_name(marker);
  ASSERT_TRUE(Moderator(*server_b_).ApproveComment(approve).ok());

  const std::vector<v1::QueueEvent> events =
      everything.ReadUntil([&marker](const v1::QueueEvent& event) {
        return event.comment() == marker &&
               event.kind() == v1::QueueEvent::LEFT;
      });
  std::map<std::string, std::vector<Kind>> by_comment;
  for (const v1::QueueEvent& event : events) {
    by_comment[event.comment()].push_back(event.kind());
    EXPECT_GT(event.event_time().seconds(), 0);
    if (event.kind() == v1::QueueEvent::ENTERED) {
      EXPECT_EQ(event.state(), v1::PENDING);
      EXPECT_EQ(event.actor(), "");
    } else {
      EXPECT_EQ(event.actor(), "ann");
    }
  }
  EXPECT_EQ(events.size(), 10u + 1u + 1u + 2u + 1u);
  for (int i = 0; i < 10; ++i) {
    if (i == 2 || i == 7) {
      EXPECT_THAT(by_comment[submitted[i]],
                  ElementsAre(v1::QueueEvent::ENTERED, v1::QueueEvent::LEFT))
          << i;
    } else {
      EXPECT_THAT(by_comment[submitted[i]],
                  ElementsAre(v1::QueueEvent::ENTERED))
          << i;
    }
  }
  EXPECT_THAT(by_comment[other], ElementsAre(v1::QueueEvent::ENTERED));
  EXPECT_THAT(by_comment[marker],
              ElementsAre(v1::QueueEvent::ENTERED, v1::QueueEvent::LEFT));
  for (const v1::QueueEvent& event : events) {
    if (event.comment() == submitted[7] &&
        event.kind() == v1::QueueEvent::LEFT) {
      EXPECT_EQ(event.state(), v1::SPAM);
    }
    if (event.comment() == submitted[2] &&
        event.kind() == v1::QueueEvent::LEFT) {
      EXPECT_EQ(event.state(), v1::APPROVED);
    }
  }

  // The filtered watcher saw its thread only.
  const std::string last = Submit(*server_b_, "watch-b", 101);
  const std::vector<v1::QueueEvent> filtered_events = filtered.ReadUntil(
      [&last](const v1::QueueEvent& event) { return event.comment() == last; });
  std::vector<std::string> names;
  for (const v1::QueueEvent& event : filtered_events) {
    names.push_back(event.comment());
  }
  EXPECT_THAT(names, ElementsAre(other, last));
  everything.Cancel();
  filtered.Cancel();
}

TEST_F(WatchE2eTest, IncludeExistingStartsWithTheCurrentQueue) {
  const std::string ids = harness_->postgres()
                              .Query("watch",
                                     "INSERT INTO comments (id, thread, "
                                     "author_name, body, state) SELECT "
                                     "gen_random_uuid(), 'existing', 'Reader',"
                                     " 'Old ' || i, 'PENDING' FROM "
                                     "generate_series(1, 3) i RETURNING id")
                              .value_or("");
  std::vector<std::string> existing;
  for (absl::string_view id : absl::StrSplit(ids, '\n')) {
    existing.push_back(absl::StrCat("threads/existing/comments/", id));
  }
  ASSERT_EQ(existing.size(), 3u);
  v1::WatchQueueRequest request;
  request.set_parent("threads/existing");
  request.set_include_existing(true);
  Watcher watcher(server_b_->address(), *token_, request);

  const std::string fresh = Submit(*server_a_, "existing", 1);
  v1::ApproveCommentRequest approve;
  approve.set_name(existing[0]);
  ASSERT_TRUE(Moderator(*server_a_).ApproveComment(approve).ok());

  const std::vector<v1::QueueEvent> events =
      watcher.ReadUntil([](const v1::QueueEvent& event) {
        return event.kind() == v1::QueueEvent::LEFT;
      });
  std::vector<std::string> names;
  for (const v1::QueueEvent& event : events) names.push_back(event.comment());
  EXPECT_THAT(names, ElementsAreArray({existing[0], existing[1], existing[2],
                                       fresh, existing[0]}));
  EXPECT_EQ(events.back().state(), v1::APPROVED);
  watcher.Cancel();
}

TEST_F(WatchE2eTest, WatchNeedsAValidThreadFilter) {
  v1::WatchQueueRequest request;
  request.set_parent("watch-a");
  client::ModerationClient moderator = Moderator(*server_a_);
  std::unique_ptr<client::QueueWatch> watch =
      moderator.WatchQueue(request, absl::Seconds(10));
  v1::QueueEvent event;
  EXPECT_FALSE(watch->Next(&event));
  EXPECT_EQ(watch->Finish().code(), absl::StatusCode::kInvalidArgument);
}

// Named to run last: stops the servers.
TEST_F(WatchE2eTest, ZzShutdownEndsWatchStreamsAtOnce) {
  // A long grace period: only ending the streams first keeps the exit quick.
  std::vector<std::string> args = harness_->ServerArgs();
  args.push_back("--shutdown_grace_ms=60000");
  auto server = testing::ServerProcess::Start(COMMENTS_SERVER_PATH, args);
  ASSERT_TRUE(server.ok()) << server.status();
  absl::Status ended;
  absl::Duration took;
  {
    Watcher watcher((*server)->address(), *token_, {});
    const absl::Time start = absl::Now();
    ASSERT_EQ(kill((*server)->pid(), SIGTERM), 0);
    v1::QueueEvent event;
    EXPECT_FALSE(watcher.Next(&event));
    ended = watcher.Finish();
    took = absl::Now() - start;
  }
  EXPECT_EQ(ended.code(), absl::StatusCode::kUnavailable) << ended;
  EXPECT_EQ(ended.message(), "the server is shutting down");
  EXPECT_LT(took, absl::Seconds(5));
  auto exit_code = (*server)->Stop(SIGTERM, absl::Seconds(20));
  ASSERT_TRUE(exit_code.ok()) << exit_code.status();
  EXPECT_EQ(*exit_code, 0);
}

}  // namespace
}  // namespace comments
