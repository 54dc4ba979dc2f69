// WatchQueue across replicas: two server processes on one database; a
// moderator watching one sees what is submitted and decided through the
// other, each event once; a revoked moderator's streams end at once; open
// streams cost no thread; streams end promptly on shutdown.
#include <signal.h>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "client/lib/call_support.h"
#include "client/lib/comment_client.h"
#include "client/lib/error_details.h"
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
      : Watcher(testing::PlaintextChannel(address), token, std::move(request)) {
  }

  // Many watchers may share one channel (one connection).
  Watcher(std::shared_ptr<grpc::Channel> channel, const std::string& token,
          v1::WatchQueueRequest request)
      : channel_(std::move(channel)),
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

  // Reads until the event about `comment`; false if the stream ended first.
  bool ReadUntilComment(const std::string& comment) {
    const std::vector<v1::QueueEvent> events = ReadUntil(
        [&comment](const v1::QueueEvent& e) { return e.comment() == comment; });
    return !events.empty() && events.back().comment() == comment;
  }

  absl::Status Finish() { return client::FromGrpcStatus(reader_->Finish()); }
  void Cancel() { context_.TryCancel(); }

 private:
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::ModerationService::Stub> stub_;
  grpc::ClientContext context_;
  std::unique_ptr<grpc::ClientReader<v1::QueueEvent>> reader_;
};

// What /proc says about a process: its thread count and resident memory.
struct ProcessFigures {
  int threads = 0;
  int64_t rss_kib = 0;
};

ProcessFigures Measure(pid_t pid) {
  ProcessFigures figures;
  std::ifstream status(absl::StrCat("/proc/", pid, "/status"));
  std::string key;
  while (status >> key) {
    if (key == "Threads:") status >> figures.threads;
    if (key == "VmRSS:") status >> figures.rss_kib;
  }
  return figures;
}

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

  std::vector<v1::QueueEvent> events =
      everything.ReadUntil([&marker](const v1::QueueEvent& event) {
        return event.comment() == marker &&
               event.kind() == v1::QueueEvent::LEFT;
      });
  // Other tests' changes may still be on their way when this one starts.
  events.erase(std::remove_if(events.begin(), events.end(),
                              [](const v1::QueueEvent& event) {
                                return !absl::StartsWith(event.comment(),
                                                         "threads/watch-");
                              }),
               events.end());
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

TEST_F(WatchE2eTest, RevokingAModeratorEndsTheirWatchesAtOnce) {
  auto rita_token = harness_->AddModerator("rita");
  ASSERT_TRUE(rita_token.ok()) << rita_token.status();
  Watcher rita(server_a_->address(), *rita_token, {});
  Watcher ann(server_a_->address(), *token_, {});
  const std::string before = Submit(*server_b_, "revoked", 1);
  ASSERT_TRUE(rita.ReadUntilComment(before));

  // Revoked by the operator's command, another process, through the
  // database only.
  auto revoked = harness_->ModeratorsCommand({"revoke", "rita"});
  ASSERT_TRUE(revoked.ok()) << revoked.status();
  ASSERT_EQ(revoked->exit_code, 0) << revoked->err;
  const absl::Time revoke_time = absl::Now();
  // Committed after the revocation: rita must never see it.
  const std::string after = Submit(*server_b_, "revoked", 2);

  v1::QueueEvent event;
  const bool got_more = rita.Next(&event);
  const absl::Duration took = absl::Now() - revoke_time;
  EXPECT_FALSE(got_more) << "delivered after the revocation: "
                         << event.comment();
  const absl::Status ended = rita.Finish();
  EXPECT_EQ(ended.code(), absl::StatusCode::kUnauthenticated) << ended;
  EXPECT_EQ(client::GetErrorDetails(ended).reason, "INVALID_MODERATOR_TOKEN");
  EXPECT_LT(took, absl::Seconds(5));

  // Other moderators' watches go on.
  EXPECT_TRUE(ann.ReadUntilComment(after));
  ann.Cancel();
}

TEST_F(WatchE2eTest, AModeratorHoldsAtMostFourWatchesPerServer) {
  auto token = harness_->AddModerator("many-tabs");
  ASSERT_TRUE(token.ok()) << token.status();
  std::vector<std::unique_ptr<Watcher>> open;
  for (int i = 0; i < 4; ++i) {
    open.push_back(std::make_unique<Watcher>(server_a_->address(), *token,
                                             v1::WatchQueueRequest()));
  }
  client::ModerationClient moderator = testing::ModeratorClient(
      testing::PlaintextChannel(server_a_->address()), *token);
  std::unique_ptr<client::QueueWatch> fifth =
      moderator.WatchQueue({}, absl::Seconds(10));
  v1::QueueEvent event;
  EXPECT_FALSE(fifth->Next(&event));
  const absl::Status refused = fifth->Finish();
  EXPECT_EQ(refused.code(), absl::StatusCode::kResourceExhausted) << refused;
  EXPECT_EQ(client::GetErrorDetails(refused).reason, "TOO_MANY_WATCHES");
  EXPECT_FALSE(client::GetErrorDetails(refused).retry_delay.has_value());

  // The four still work, and the limit is the moderator's own.
  const std::string name = Submit(*server_b_, "many-tabs", 1);
  for (const std::unique_ptr<Watcher>& watcher : open) {
    EXPECT_TRUE(watcher->ReadUntilComment(name));
    watcher->Cancel();
  }
  auto other_token = harness_->AddModerator("one-tab");
  ASSERT_TRUE(other_token.ok()) << other_token.status();
  Watcher other(server_a_->address(), *other_token, {});
  const std::string next = Submit(*server_b_, "many-tabs", 2);
  EXPECT_TRUE(other.ReadUntilComment(next));
  other.Cancel();
}

TEST_F(WatchE2eTest, ANegativeWatchLimitStopsStartUp) {
  std::vector<std::string> args = harness_->ServerArgs();
  args.push_back("--max_watches_per_moderator=-1");
  auto server = testing::ServerProcess::Start(COMMENTS_SERVER_PATH, args);
  ASSERT_FALSE(server.ok());
  EXPECT_THAT(std::string(server.status().message()),
              ::testing::HasSubstr("bad --max_watches_per_moderator"));
}

// With the synchronous API each open stream held a server thread; on the
// callback API the thread count does not grow with the streams.
TEST_F(WatchE2eTest, OpenWatchesHoldNoThreads) {
  constexpr int kWatches = 1000;
  std::vector<std::string> args = harness_->ServerArgs();
  args.push_back("--max_watches_per_moderator=0");
  auto server = testing::ServerProcess::Start(COMMENTS_SERVER_PATH, args);
  ASSERT_TRUE(server.ok()) << server.status();
  std::shared_ptr<grpc::Channel> channel =
      testing::PlaintextChannel((*server)->address());
  // One watch first, so that what the first one starts lazily counts in
  // the baseline.
  std::vector<std::unique_ptr<Watcher>> watchers;
  watchers.push_back(
      std::make_unique<Watcher>(channel, *token_, v1::WatchQueueRequest()));
  const ProcessFigures baseline = Measure((*server)->pid());
  const absl::Time start = absl::Now();
  for (int i = 1; i < kWatches; ++i) {
    watchers.push_back(
        std::make_unique<Watcher>(channel, *token_, v1::WatchQueueRequest()));
  }
  const absl::Duration opening = absl::Now() - start;
  const ProcessFigures loaded = Measure((*server)->pid());
  std::cerr << "watches: " << kWatches << ", opened in "
            << absl::FormatDuration(opening) << "; server threads "
            << baseline.threads << " -> " << loaded.threads << ", RSS "
            << baseline.rss_kib / 1024 << " -> " << loaded.rss_kib / 1024
            << " MiB\n";
  EXPECT_LE(loaded.threads, baseline.threads + 20);
  EXPECT_LT(loaded.rss_kib - baseline.rss_kib, 100 * 1024);

  // Every one of them is live.
  const std::string name = Submit(**server, "thousand", 1);
  v1::QueueEvent event;
  for (const std::unique_ptr<Watcher>& watcher : watchers) {
    ASSERT_TRUE(watcher->Next(&event));
    ASSERT_EQ(event.comment(), name);
  }
  for (const std::unique_ptr<Watcher>& watcher : watchers) watcher->Cancel();
}

// On a server of its own, so that no other test's server stops.
TEST_F(WatchE2eTest, ShutdownEndsWatchStreamsAtOnce) {
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
  // Another replica can take the watch: the caller is told when to retry.
  const std::optional<absl::Duration> retry_delay =
      client::GetErrorDetails(ended).retry_delay;
  ASSERT_TRUE(retry_delay.has_value());
  EXPECT_GT(*retry_delay, absl::ZeroDuration());
  EXPECT_LT(took, absl::Seconds(5));
  auto exit_code = (*server)->Stop(SIGTERM, absl::Seconds(20));
  ASSERT_TRUE(exit_code.ok()) << exit_code.status();
  EXPECT_EQ(*exit_code, 0);
}

}  // namespace
}  // namespace comments
