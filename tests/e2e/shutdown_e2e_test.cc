// SIGTERM against the real binary while calls are stuck in PostgreSQL: the
// test holds a lock on the comments table, so every call that reads or
// writes comments waits inside the database (and, with the pool full, for
// a connection). The process must still be gone within 5 s, the bound the
// operations docs promise (Docker's stop timeout is 10 s).
#include <signal.h>

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
#include "gtest/gtest.h"
#include "pqxx/pqxx"
#include "tests/e2e/moderation_harness.h"
#include "tests/support/server_process.h"

namespace comments {
namespace {

// The harness starts the server with --db_pool_size=4.
constexpr int kPoolSize = 4;

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
  pqxx::connection locker(conninfo);
  pqxx::work lock(locker);
  lock.exec("LOCK TABLE comments IN ACCESS EXCLUSIVE MODE");

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

  // Every pooled connection waits on the lock (checked by asking
  // PostgreSQL, not by waiting a while).
  pqxx::connection monitor(conninfo);
  pqxx::nontransaction ask(monitor);
  const absl::Time give_up = absl::Now() + absl::Seconds(20);
  int waiting = 0;
  while (waiting < kPoolSize && absl::Now() < give_up) {
    waiting = ask.exec(
                     "SELECT count(*) FROM pg_locks WHERE relation ="
                     " 'comments'::regclass AND NOT granted")[0][0]
                  .as<int>();
  }
  ASSERT_EQ(waiting, kPoolSize);

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
  EXPECT_EQ(ask.exec("SELECT count(*) FROM pg_locks WHERE relation ="
                     " 'comments'::regclass AND NOT granted")[0][0]
                .as<int>(),
            0);
  lock.abort();
}

}  // namespace
}  // namespace comments
