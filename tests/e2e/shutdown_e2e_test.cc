// SIGTERM against the real binary while calls are stuck in PostgreSQL: the
// test holds a lock on the comments table, so every call that reads or
// writes comments waits inside the database (and, with the pool full, for
// a connection). The process must still be gone within 5 s, the bound the
// operations docs promise (Docker's stop timeout is 10 s).
//
// And SIGTERM with 100 calls in flight that can finish: health turns
// NOT_SERVING first, new calls are refused, the hundred all complete once
// the lock is released, and the process exits 0 within 5 s.
#include <signal.h>

#include <chrono>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "client/lib/comment_client.h"
#include "client/lib/moderation_client.h"
#include "comments/v1/comments.grpc.pb.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "pqxx/pqxx"
#include "tests/e2e/moderation_harness.h"
#include "tests/support/scanned_channel.h"
#include "tests/support/server_process.h"

namespace comments {
namespace {

// The harness starts the server with --db_pool_size=4.
constexpr int kPoolSize = 4;

// The test's transaction holding the comments table: every call that reads
// or writes comments waits inside PostgreSQL until it ends.
struct CommentsLock {
  explicit CommentsLock(const std::string& conninfo)
      : connection(conninfo), transaction(connection) {
    transaction.exec("LOCK TABLE comments IN ACCESS EXCLUSIVE MODE");
  }
  pqxx::connection connection;
  pqxx::work transaction;
};

// Waiters on the comments table's lock, asked of PostgreSQL.
int WaitingOnComments(pqxx::nontransaction& ask) {
  return ask
      .exec(
          "SELECT count(*) FROM pg_locks WHERE relation ="
          " 'comments'::regclass AND NOT granted")[0][0]
      .as<int>();
}

// Polls until `count` statements wait on the lock (asked of PostgreSQL, not
// guessed by waiting a while), for at most 20 s; returns the last count.
int AwaitWaitingOnComments(pqxx::nontransaction& ask, int count) {
  const absl::Time give_up = absl::Now() + absl::Seconds(20);
  int waiting = 0;
  while (waiting < count && absl::Now() < give_up) {
    waiting = WaitingOnComments(ask);
  }
  return waiting;
}

TEST(ShutdownE2eTest, SigtermEndsCallsBlockedOnTheDatabaseWithinFiveSeconds) {
  auto harness =
      testing::ModerationHarness::Start(COMMENTS_SERVER_PATH, "shutdown");
  ASSERT_TRUE(harness.ok()) << harness.status();
  auto token = (*harness)->AddModerator("ann");
  ASSERT_TRUE(token.ok()) << token.status();
  // The documented default grace (4 s): no --shutdown_grace_ms.
  auto server = testing::ServerProcess::Start(COMMENTS_SERVER_PATH,
                                              (*harness)->ServerArgs());
  ASSERT_TRUE(server.ok()) << server.status();
  const std::string address = (*server)->address();

  const std::string conninfo =
      (*harness)->postgres().ConnectionString((*harness)->database());
  CommentsLock lock(conninfo);

  // Writes, public reads and moderator reads, more of them than the pool
  // has connections.
  absl::Mutex mu;
  std::vector<absl::Status> outcomes;
  auto record = [&mu, &outcomes](absl::Status status) {
    absl::MutexLock l(&mu);
    outcomes.push_back(std::move(status));
  };
  std::vector<std::thread> calls;
  for (int i = 0; i < 2; ++i) {
    calls.emplace_back([&, i] {
      client::CommentClient comments(testing::PlaintextChannel(address),
                                     testing::ModeratorOptions(""));
      v1::CreateCommentRequest request;
      request.set_parent("threads/blocked");
      request.mutable_comment()->set_author_name("Blocked Reader");
      request.mutable_comment()->set_author_email(
          absl::StrCat("blocked", i, "@example.org"));
      request.mutable_comment()->set_body(absl::StrCat("Blocked number ", i));
      record(comments.CreateComment(request).status());
    });
    calls.emplace_back([&] {
      client::CommentClient comments(testing::PlaintextChannel(address),
                                     testing::ModeratorOptions(""));
      v1::ListCommentsRequest request;
      request.set_parent("threads/blocked");
      record(comments.ListComments(request).status());
    });
    calls.emplace_back([&] {
      client::ModerationClient moderator =
          testing::ModeratorClient(testing::PlaintextChannel(address), *token);
      record(moderator.ListQueue({}).status());
    });
  }

  // Every pooled connection waits on the lock.
  pqxx::connection monitor(conninfo);
  pqxx::nontransaction ask(monitor);
  ASSERT_EQ(AwaitWaitingOnComments(ask, kPoolSize), kPoolSize);

  const absl::Time signalled = absl::Now();
  auto exit_code = (*server)->Stop(SIGTERM, absl::Seconds(20));
  const absl::Duration took = absl::Now() - signalled;
  std::cerr << "exited " << absl::FormatDuration(took) << " after SIGTERM\n";
  ASSERT_TRUE(exit_code.ok()) << exit_code.status();
  EXPECT_EQ(*exit_code, 0);
  EXPECT_LT(took, absl::Seconds(5));

  // Every call was answered, none with success, and the statements were
  // cancelled rather than left running in PostgreSQL.
  for (std::thread& call : calls) call.join();
  ASSERT_EQ(outcomes.size(), calls.size());
  for (const absl::Status& outcome : outcomes) {
    EXPECT_EQ(outcome.code(), absl::StatusCode::kUnavailable) << outcome;
  }
  EXPECT_EQ(WaitingOnComments(ask), 0);
  lock.transaction.abort();
}

TEST(ShutdownE2eTest, SigtermLetsAHundredCallsInFlightComplete) {
  constexpr int kInFlight = 100;
  auto harness =
      testing::ModerationHarness::Start(COMMENTS_SERVER_PATH, "inflight");
  ASSERT_TRUE(harness.ok()) << harness.status();
  // A connection and a thread for every call, so all of them are inside
  // the database when the signal comes.
  std::vector<std::string> args = (*harness)->ServerArgs();
  args.push_back(absl::StrCat("--db_pool_size=", kInFlight));
  args.push_back(absl::StrCat("--max_threads=", 2 * kInFlight));
  auto server = testing::ServerProcess::Start(COMMENTS_SERVER_PATH, args);
  ASSERT_TRUE(server.ok()) << server.status();
  const std::string address = (*server)->address();
  auto channel = testing::ScannedChannel(address);
  auto stub = v1::CommentService::NewStub(channel);

  // Health as a load balancer watches it.
  auto health = grpc::health::v1::Health::NewStub(channel);
  grpc::ClientContext health_context;
  auto health_watch = health->Watch(&health_context, {});
  grpc::health::v1::HealthCheckResponse health_status;
  ASSERT_TRUE(health_watch->Read(&health_status));
  ASSERT_EQ(health_status.status(),
            grpc::health::v1::HealthCheckResponse::SERVING);

  const std::string conninfo =
      (*harness)->postgres().ConnectionString((*harness)->database());
  CommentsLock lock(conninfo);

  absl::Mutex mu;
  std::vector<grpc::StatusCode> outcomes;
  std::vector<std::thread> calls;
  for (int i = 0; i < kInFlight; ++i) {
    calls.emplace_back([&, i] {
      grpc::ClientContext context;
      context.set_deadline(std::chrono::system_clock::now() +
                           std::chrono::seconds(20));
      v1::ListCommentsRequest request;
      request.set_parent(absl::StrCat("threads/inflight-", i));
      v1::ListCommentsResponse response;
      const grpc::Status status =
          stub->ListComments(&context, request, &response);
      absl::MutexLock l(&mu);
      outcomes.push_back(status.error_code());
    });
  }
  pqxx::connection monitor(conninfo);
  pqxx::nontransaction ask(monitor);
  ASSERT_EQ(AwaitWaitingOnComments(ask, kInFlight), kInFlight);

  const absl::Time signalled = absl::Now();
  absl::StatusOr<int> exit_code;
  std::thread stopper(
      [&] { exit_code = (*server)->Stop(SIGTERM, absl::Seconds(20)); });

  // NOT_SERVING comes first, while every call is still waiting.
  ASSERT_TRUE(health_watch->Read(&health_status));
  EXPECT_EQ(health_status.status(),
            grpc::health::v1::HealthCheckResponse::NOT_SERVING);
  {
    absl::MutexLock l(&mu);
    EXPECT_TRUE(outcomes.empty());
  }
  health_context.TryCancel();

  // New calls are refused (the first few may still slip in while the
  // server ends its watch streams; they wait like the others).
  grpc::StatusCode late = grpc::StatusCode::OK;
  while (late != grpc::StatusCode::UNAVAILABLE &&
         absl::Now() < signalled + absl::Seconds(2)) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::milliseconds(200));
    v1::ListCommentsRequest request;
    request.set_parent("threads/late");
    v1::ListCommentsResponse response;
    late = stub->ListComments(&context, request, &response).error_code();
  }
  EXPECT_EQ(late, grpc::StatusCode::UNAVAILABLE);

  lock.transaction.abort();
  for (std::thread& call : calls) call.join();
  stopper.join();
  const absl::Duration took = absl::Now() - signalled;
  std::cerr << "exited " << absl::FormatDuration(took) << " after SIGTERM\n";
  ASSERT_TRUE(exit_code.ok()) << exit_code.status();
  EXPECT_EQ(*exit_code, 0);
  EXPECT_LT(took, absl::Seconds(5));
  ASSERT_EQ(outcomes.size(), static_cast<size_t>(kInFlight));
  for (grpc::StatusCode code : outcomes) {
    EXPECT_EQ(code, grpc::StatusCode::OK);
  }
}

}  // namespace
}  // namespace comments
