// A statement that cannot finish in time, through the real binary: the test
// holds a lock on the comments table, so a read or a write waits inside
// PostgreSQL. The call must answer DEADLINE_EXCEEDED within its deadline
// plus 100 ms, and the statement must be gone from pg_stat_activity within
// 1 s of that answer, not left waiting for the lock.
#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "comments/v1/comments.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "pqxx/pqxx"
#include "tests/support/e2e_environment.h"
#include "tests/support/scanned_channel.h"

namespace comments {
namespace {

constexpr absl::Duration kDeadline = absl::Milliseconds(500);
constexpr absl::Duration kAnswerSlack = absl::Milliseconds(100);
constexpr absl::Duration kStatementGoneWithin = absl::Seconds(1);

// Statements of this database waiting for a lock.
constexpr char kWaitingStatements[] =
    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
    " AND wait_event_type = 'Lock'";

using Call = std::function<grpc::Status(v1::CommentService::Stub&,
                                        grpc::ClientContext&)>;

grpc::Status ListThread(v1::CommentService::Stub& stub,
                        grpc::ClientContext& context,
                        const std::string& parent) {
  v1::ListCommentsRequest request;
  request.set_parent(parent);
  v1::ListCommentsResponse response;
  return stub.ListComments(&context, request, &response);
}

grpc::Status List(v1::CommentService::Stub& stub,
                  grpc::ClientContext& context) {
  return ListThread(stub, context, "threads/slow");
}

grpc::Status Create(v1::CommentService::Stub& stub,
                    grpc::ClientContext& context) {
  v1::CreateCommentRequest request;
  request.set_parent("threads/slow");
  request.mutable_comment()->set_author_name("Slow Writer");
  request.mutable_comment()->set_author_email("slow@example.org");
  request.mutable_comment()->set_body("Waiting for a lock.");
  v1::Comment response;
  return stub.CreateComment(&context, request, &response);
}

class SlowStatementE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto environment =
        testing::E2eEnvironment::Create(COMMENTS_SERVER_PATH, "", "slow");
    ASSERT_TRUE(environment.ok()) << environment.status();
    environment_ = *std::move(environment);
    conninfo_ =
        environment_->postgres().ConnectionString(environment_->database());
  }

  // Runs `call` (with `client_deadline`) while the comments table is
  // locked; checks the answer's code and time, then that PostgreSQL lets go
  // of the statement.
  void ExpectDeadlineExceededAndStatementGone(const std::string& address,
                                              const Call& call,
                                              absl::Duration client_deadline) {
    auto stub = v1::CommentService::NewStub(testing::ScannedChannel(address));
    {
      // Connected before the lock, so connecting is not part of the time.
      // Another thread: a page read now would be answered from the public
      // read cache later, without the database.
      grpc::ClientContext warm_up;
      ASSERT_TRUE(ListThread(*stub, warm_up, "threads/warm-up").ok());
    }
    pqxx::connection locker(conninfo_);
    pqxx::work lock(locker);
    lock.exec("LOCK TABLE comments IN ACCESS EXCLUSIVE MODE");

    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + client_deadline));
    const absl::Time start = absl::Now();
    const grpc::Status status = call(*stub, context);
    const absl::Time answered = absl::Now();
    EXPECT_EQ(status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED)
        << status.error_message();
    EXPECT_LE(answered - start, kDeadline + kAnswerSlack);

    pqxx::connection monitor(conninfo_);
    pqxx::nontransaction ask(monitor);
    int waiting = -1;
    while (waiting != 0 && absl::Now() < answered + kStatementGoneWithin) {
      waiting = ask.exec(kWaitingStatements)[0][0].as<int>();
    }
    EXPECT_EQ(waiting, 0) << "statements still waiting for the lock 1 s after "
                             "the call ended";
    lock.abort();
  }

  std::unique_ptr<testing::E2eEnvironment> environment_;
  std::string conninfo_;
};

// The caller's deadline bounds the statement.
TEST_F(SlowStatementE2eTest, CallersDeadlineEndsTheStatement) {
  auto server = environment_->StartServer();
  ASSERT_TRUE(server.ok()) << server.status();
  ExpectDeadlineExceededAndStatementGone((*server)->address(), List, kDeadline);
  ExpectDeadlineExceededAndStatementGone((*server)->address(), Create,
                                         kDeadline);
}

// A caller with a generous deadline is cut at --max_call_timeout_ms: the
// answer then comes from the server, not from the caller's own clock.
TEST_F(SlowStatementE2eTest, ServersCapEndsTheStatement) {
  auto server = environment_->StartServer({absl::StrCat(
      "--max_call_timeout_ms=", absl::ToInt64Milliseconds(kDeadline))});
  ASSERT_TRUE(server.ok()) << server.status();
  ExpectDeadlineExceededAndStatementGone((*server)->address(), List,
                                         absl::Seconds(10));
  ExpectDeadlineExceededAndStatementGone((*server)->address(), Create,
                                         absl::Seconds(10));
}

}  // namespace
}  // namespace comments
