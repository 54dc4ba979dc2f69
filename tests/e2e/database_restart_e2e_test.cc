// `pg_ctl restart -m fast` under about 50 submissions a second, through the
// real binary: while the database is down calls answer UNAVAILABLE (never
// INTERNAL, never later than their deadline), submissions succeed again
// within 5 s of the database accepting connections, a WatchQueue stream
// ends with UNAVAILABLE (which clients reconnect on), and `commentctl
// watch` reconnects by itself and shows what arrived after the restart.
#include <signal.h>

#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "client/lib/moderation_client.h"
#include "comments/v1/comments.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "tests/e2e/moderation_harness.h"
#include "tests/support/child_process.h"
#include "tests/support/e2e_environment.h"
#include "tests/support/scanned_channel.h"

namespace comments {
namespace {

constexpr char kNoFloodRules[] =
    "flood:\n  min_interval_seconds: 0\n  bucket_burst: 0\n";
constexpr absl::Duration kInterval = absl::Milliseconds(20);  // 50 per second
constexpr absl::Duration kCallDeadline = absl::Seconds(1);
// Scheduling on a loaded machine, not the server, decides this much.
constexpr absl::Duration kDeadlineSlack = absl::Milliseconds(200);
constexpr absl::Duration kRecoveryBound = absl::Seconds(5);

struct Outcome {
  absl::Time start;
  absl::Time end;
  grpc::StatusCode code;
  std::string name;  // of the comment, when created
};

// Submissions at a fixed rate through gRPC's callback API, one attempt
// each: what a caller sees without retries.
class PacedSubmissions {
 public:
  explicit PacedSubmissions(const std::string& address)
      : stub_(v1::CommentService::NewStub(testing::ScannedChannel(address))),
        pacer_([this] { Run(); }) {}

  ~PacedSubmissions() { Stop(); }

  // Stops sending and waits for every answer.
  void Stop() {
    {
      absl::MutexLock lock(&mu_);
      stopping_ = true;
    }
    if (pacer_.joinable()) pacer_.join();
    absl::MutexLock lock(&mu_);
    auto all_answered = [this]() ABSL_SHARED_LOCKS_REQUIRED(mu_) {
      return in_flight_ == 0;
    };
    mu_.Await(absl::Condition(&all_answered));
  }

  // The first successful submission sent at or after `since`, waiting for
  // one up to `timeout`.
  std::optional<Outcome> AwaitSuccessSentAfter(absl::Time since,
                                               absl::Duration timeout) {
    absl::MutexLock lock(&mu_);
    std::optional<Outcome> found;
    auto seen = [this, since, &found]() ABSL_SHARED_LOCKS_REQUIRED(mu_) {
      for (const Outcome& outcome : outcomes_) {
        if (outcome.code == grpc::StatusCode::OK && outcome.start >= since) {
          found = outcome;
          return true;
        }
      }
      return false;
    };
    mu_.AwaitWithTimeout(absl::Condition(&seen), timeout);
    return found;
  }

  std::vector<Outcome> outcomes() const {
    absl::MutexLock lock(&mu_);
    return outcomes_;
  }

 private:
  struct Call {
    grpc::ClientContext context;
    v1::CreateCommentRequest request;
    v1::Comment response;
    absl::Time start;
  };

  void Run() {
    absl::Time next = absl::Now();
    for (int n = 0;; ++n) {
      {
        // The pause between sends, cut short by Stop.
        absl::MutexLock lock(&mu_);
        if (mu_.AwaitWithDeadline(absl::Condition(&stopping_), next)) return;
        ++in_flight_;
      }
      next += kInterval;
      auto call = std::make_shared<Call>();
      call->request.set_parent("threads/restart");
      call->request.mutable_comment()->set_author_name("Steady Writer");
      call->request.mutable_comment()->set_author_email(
          absl::StrCat("steady", n % 10, "@example.org"));
      call->request.mutable_comment()->set_body(
          absl::StrCat("Steady comment ", n));
      call->start = absl::Now();
      call->context.set_deadline(
          absl::ToChronoTime(call->start + kCallDeadline));
      stub_->async()->CreateComment(
          &call->context, &call->request, &call->response,
          [this, call](grpc::Status status) {
            absl::MutexLock lock(&mu_);
            outcomes_.push_back({call->start, absl::Now(), status.error_code(),
                                 call->response.name()});
            --in_flight_;
          });
    }
  }

  std::unique_ptr<v1::CommentService::Stub> stub_;
  mutable absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  int in_flight_ ABSL_GUARDED_BY(mu_) = 0;
  std::vector<Outcome> outcomes_ ABSL_GUARDED_BY(mu_);
  std::thread pacer_;  // last: starts once the rest is ready
};

TEST(DatabaseRestartE2eTest, UnavailableWhileDownThenServesAndWatchesResume) {
  auto environment = testing::E2eEnvironment::Create(COMMENTS_SERVER_PATH,
                                                     kNoFloodRules, "restart");
  ASSERT_TRUE(environment.ok()) << environment.status();
  auto token = (*environment)->AddModerator("rita");
  ASSERT_TRUE(token.ok()) << token.status();
  const std::string token_file = (*environment)->dir() + "/rita.token";
  {
    std::ofstream out(token_file);
    out << *token << "\n";
  }
  auto server = (*environment)->StartServer();
  ASSERT_TRUE(server.ok()) << server.status();
  const std::string address = (*server)->address();

  PacedSubmissions load(address);
  ASSERT_TRUE(load.AwaitSuccessSentAfter(absl::Now(), absl::Seconds(20)));

  // A watch from the client library, to see how its stream ends.
  client::ModerationClient moderation =
      testing::ModeratorClient(testing::PlaintextChannel(address), *token);
  v1::WatchQueueRequest watch_request;
  watch_request.set_parent("threads/restart");
  std::unique_ptr<client::QueueWatch> watch =
      moderation.WatchQueue(watch_request);
  v1::QueueEvent event;
  ASSERT_TRUE(watch->Next(&event)) << "no event on the library's watch";

  // commentctl watch, to see that it comes back by itself.
  auto cli = testing::ChildProcess::Start(
      {COMMENTCTL_PATH, "watch", "--thread", "restart", "--json"},
      {"PATH=/usr/bin:/bin", "TZ=UTC", "LANG=C.UTF-8",
       absl::StrCat("COMMENTS_SERVER=", address),
       absl::StrCat("COMMENTS_TOKEN_FILE=", token_file)});
  ASSERT_TRUE(cli.ok()) << cli.status();
  auto first_line = (*cli)->ReadLine(absl::Seconds(20));
  ASSERT_TRUE(first_line.ok()) << first_line.status();

  ASSERT_TRUE((*environment)->postgres().Restart().ok());
  const absl::Time accepting = absl::Now();

  // The library's stream ends with a status worth reconnecting on.
  while (watch->Next(&event)) {
  }
  const absl::Status watch_ended = watch->Finish();
  EXPECT_EQ(watch_ended.code(), absl::StatusCode::kUnavailable) << watch_ended;

  const std::optional<Outcome> recovered =
      load.AwaitSuccessSentAfter(accepting, absl::Seconds(20));
  ASSERT_TRUE(recovered.has_value()) << "no success after the restart";
  EXPECT_LE(recovered->end - accepting, kRecoveryBound);

  // commentctl shows the comment made after the restart, whether as a new
  // event or as an existing one on its new stream.
  bool shown = false;
  const absl::Time give_up = absl::Now() + absl::Seconds(20);
  while (!shown && absl::Now() < give_up) {
    auto line = (*cli)->ReadLine(give_up - absl::Now());
    if (!line.ok()) break;
    shown = absl::StrContains(*line, recovered->name);
  }
  EXPECT_TRUE(shown) << recovered->name << " never shown by commentctl watch";
  ASSERT_TRUE((*cli)->Signal(SIGINT).ok());
  auto ended = (*cli)->Wait(absl::Seconds(10));
  ASSERT_TRUE(ended.ok()) << ended.status();
  EXPECT_EQ(ended->exit_code, 0) << ended->err;

  load.Stop();
  int unavailable = 0;
  for (const Outcome& outcome : load.outcomes()) {
    EXPECT_TRUE(outcome.code == grpc::StatusCode::OK ||
                outcome.code == grpc::StatusCode::UNAVAILABLE)
        << "code " << outcome.code;
    EXPECT_LE(outcome.end - outcome.start, kCallDeadline + kDeadlineSlack);
    if (outcome.code == grpc::StatusCode::UNAVAILABLE) ++unavailable;
  }
  std::cerr << load.outcomes().size() << " submissions, " << unavailable
            << " UNAVAILABLE; first success "
            << absl::FormatDuration(recovered->end - accepting)
            << " after the database accepted connections\n";
  // The restart was seen, or the test proved nothing.
  EXPECT_GT(unavailable, 0);
}

}  // namespace
}  // namespace comments
