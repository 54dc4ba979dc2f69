// The client library against the real server: retries across a server
// restart that never duplicate a comment, deadline expiry while the database
// is blocked, error details decoded as data, the moderation client (token,
// watch stream), and TLS channels.
#include <signal.h>

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "client/lib/channel.h"
#include "client/lib/comment_client.h"
#include "client/lib/error_details.h"
#include "client/lib/moderation_client.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "pqxx/pqxx"
#include "tests/support/command.h"
#include "tests/support/e2e_environment.h"
#include "tests/support/scanned_channel.h"
#include "tests/support/server_suite.h"

namespace comments {
namespace {

using ::testing::ElementsAre;
using ::testing::Gt;
using ::testing::Le;

// Flood control is off, except on the server that tests it.
constexpr char kRules[] =
    "flood:\n"
    "  min_interval_seconds: 0\n"
    "  bucket_burst: 0\n";

class ClientE2eTest : public testing::ServerSuite {
 protected:
  static void SetUpTestSuite() {
    StartSuite(COMMENTS_SERVER_PATH, {kRules, {}});
  }

  static std::shared_ptr<grpc::Channel> Channel(const std::string& address) {
    client::ChannelOptions options;
    options.address = address;
    // Reconnect soon after a restart, as the retry test needs.
    options.max_reconnect_backoff = absl::Milliseconds(200);
    auto channel = testing::ScannedChannel(options);
    EXPECT_TRUE(channel.ok()) << channel.status();
    return channel.ok() ? *channel : nullptr;
  }

  static v1::CreateCommentRequest Draft(const std::string& thread,
                                        const std::string& email,
                                        const std::string& body) {
    v1::CreateCommentRequest request;
    request.set_parent(absl::StrCat("threads/", thread));
    request.mutable_comment()->set_author_name("Ada Reader");
    request.mutable_comment()->set_author_email(email);
    request.mutable_comment()->set_body(body);
    return request;
  }

  static std::string CountRows(const std::string& thread) {
    auto rows = environment_->postgres().Query(
        environment_->database(),
        absl::StrCat("SELECT count(*) FROM comments WHERE thread = '", thread,
                     "'"));
    EXPECT_TRUE(rows.ok()) << rows.status();
    return rows.ok() ? *rows : "";
  }
};

// The servers this suite restarts keep the test quick: with a client
// connected, a stop takes the whole grace period.
constexpr char kShortGrace[] = "--shutdown_grace_ms=500";

// Stops `server`, runs `call` on another thread until it has failed at least
// once with UNAVAILABLE, then starts a server on the same address again.
// Returns the restarted server.
std::unique_ptr<testing::ServerProcess> RestartDuring(
    testing::E2eEnvironment& environment,
    std::unique_ptr<testing::ServerProcess> server,
    absl::Notification& retrying, const std::function<void()>& call) {
  const std::string address = server->address();
  auto stopped = server->Stop(SIGTERM, absl::Seconds(10));
  EXPECT_TRUE(stopped.ok()) << stopped.status();
  server.reset();
  std::thread caller(call);
  EXPECT_TRUE(retrying.WaitForNotificationWithTimeout(absl::Seconds(20)));
  auto restarted = environment.StartServer(
      {absl::StrCat("--listen=", address), kShortGrace});
  EXPECT_TRUE(restarted.ok()) << restarted.status();
  caller.join();
  return restarted.ok() ? *std::move(restarted) : nullptr;
}

TEST_F(ClientE2eTest, RetriesAcrossARestartNeverDuplicateAComment) {
  auto own_server = environment_->StartServer({kShortGrace});
  ASSERT_TRUE(own_server.ok()) << own_server.status();
  std::unique_ptr<testing::ServerProcess> server = *std::move(own_server);

  std::atomic<int> retries{0};
  absl::Notification first_retry;
  client::CallOptions options;
  options.timeout = absl::Seconds(30);
  options.max_attempts = 1000;
  options.initial_backoff = absl::Milliseconds(20);
  options.max_backoff = absl::Milliseconds(200);
  options.on_retry = [&](const absl::Status& status, int, absl::Duration) {
    EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable);
    if (retries.fetch_add(1) == 0) first_retry.Notify();
  };
  client::CommentClient client(Channel(server->address()), options);

  // The server is down when the call starts; the request_id the library
  // adds makes every attempt the same submission.
  absl::StatusOr<v1::Comment> created;
  server = RestartDuring(*environment_, std::move(server), first_retry, [&] {
    created =
        client.CreateComment(Draft("restart-article", "ada.restart@example.org",
                                   "Submitted while the server restarts."));
  });
  ASSERT_NE(server, nullptr);
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_GE(retries.load(), 1);
  EXPECT_EQ(CountRows("restart-article"), "1");

  // A response lost to a restart: the same request again, retried until the
  // server is back, returns the original comment rather than a second one.
  v1::CreateCommentRequest request =
      Draft("restart-article", "ada.again@example.org", "Answer lost once.");
  request.set_request_id("0f3a8c52-4b7e-4d8a-9c21-6e5f4d3c2b1a");
  auto original = client.CreateComment(request);
  ASSERT_TRUE(original.ok()) << original.status();
  absl::Notification second_retry;
  retries = 0;
  options.on_retry = [&](const absl::Status&, int, absl::Duration) {
    if (retries.fetch_add(1) == 0) second_retry.Notify();
  };
  client::CommentClient retrying_client(Channel(server->address()), options);
  absl::StatusOr<v1::Comment> repeated;
  server = RestartDuring(*environment_, std::move(server), second_retry, [&] {
    repeated = retrying_client.CreateComment(request);
  });
  ASSERT_NE(server, nullptr);
  ASSERT_TRUE(repeated.ok()) << repeated.status();
  EXPECT_EQ(repeated->name(), original->name());
  EXPECT_EQ(CountRows("restart-article"), "2");
}

TEST_F(ClientE2eTest, CallsThatMayNotBeRetriedFailAtOnce) {
  // A call that may not be retried fails at the first UNAVAILABLE.
  auto own_server = environment_->StartServer();
  ASSERT_TRUE(own_server.ok()) << own_server.status();
  const std::string address = (*own_server)->address();
  ASSERT_TRUE((*own_server)->Stop(SIGTERM, absl::Seconds(10)).ok());
  int retries = 0;
  client::CallOptions options;
  options.bearer_token = "irrelevant";
  options.on_retry = [&](const absl::Status&, int, absl::Duration) {
    ++retries;
  };
  client::ModerationClient moderation(Channel(address), options);
  v1::BatchModerateCommentsRequest batch;
  batch.add_names("threads/x/comments/0f3a8c52-4b7e-4d8a-9c21-6e5f4d3c2b1a");
  batch.set_action(v1::APPROVE);
  EXPECT_EQ(moderation.BatchModerateComments(batch).status().code(),
            absl::StatusCode::kUnavailable);
  EXPECT_EQ(retries, 0);
}

TEST_F(ClientE2eTest, DeadlineExpiresWhileTheDatabaseIsBlocked) {
  int retries = 0;
  client::CallOptions options;
  options.timeout = absl::Milliseconds(500);
  options.on_retry = [&](const absl::Status&, int, absl::Duration) {
    ++retries;
  };
  client::CommentClient client(Channel(server_->address()), options);
  v1::ListCommentsRequest list;
  list.set_parent("threads/blocked-article");

  // Another session holds the table, so the server's query waits.
  pqxx::connection blocker(
      environment_->postgres().ConnectionString(environment_->database()));
  pqxx::work lock(blocker);
  lock.exec("LOCK TABLE comments IN ACCESS EXCLUSIVE MODE");
  const absl::Time start = absl::Now();
  auto blocked = client.ListComments(list);
  const absl::Duration took = absl::Now() - start;
  lock.abort();

  EXPECT_EQ(blocked.status().code(), absl::StatusCode::kDeadlineExceeded)
      << blocked.status();
  EXPECT_GE(took, absl::Milliseconds(450));
  EXPECT_LT(took, absl::Seconds(5));
  EXPECT_EQ(retries, 0);  // DEADLINE_EXCEEDED is never retried

  // The server let go of the statement: the next call is served.
  auto after = client.ListComments(list);
  EXPECT_TRUE(after.ok()) << after.status();
}

TEST_F(ClientE2eTest, ErrorDetailsAreDecodedAsData) {
  client::CommentClient client(Channel(server_->address()));
  v1::CreateCommentRequest bad;
  bad.set_parent("threads/bad thread");
  bad.mutable_comment()->set_author_email("not-an-email");
  bad.mutable_comment()->set_body("hi");
  auto refused = client.CreateComment(bad);
  ASSERT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  client::ErrorDetails details = client::GetErrorDetails(refused.status());
  std::vector<std::string> fields;
  for (const client::FieldViolation& violation : details.field_violations) {
    fields.push_back(violation.field);
    EXPECT_FALSE(violation.description.empty()) << violation.field;
  }
  EXPECT_THAT(fields, ElementsAre("parent", "comment.author_name",
                                  "comment.author_email", "comment.body"));
  EXPECT_EQ(details.reason, "INVALID_COMMENT");
  EXPECT_EQ(details.domain, "comments.v1");
  EXPECT_FALSE(details.retry_delay.has_value());

  // Flood control answers with how long to wait: a server with the default
  // rules, on a database of its own.
  ASSERT_TRUE(environment_->postgres().CreateDatabase("flood").ok());
  auto flood_server = environment_->StartServer(
      {absl::StrCat("--database_url=",
                    environment_->postgres().ConnectionUri("flood")),
       "--rules_file="});
  ASSERT_TRUE(flood_server.ok()) << flood_server.status();
  client::CommentClient flood_client(Channel((*flood_server)->address()));
  ASSERT_TRUE(flood_client
                  .CreateComment(Draft("flood-article", "ada.flood@example.org",
                                       "The first is welcome."))
                  .ok());
  auto limited = flood_client.CreateComment(Draft(
      "flood-article", "ada.flood@example.org", "The second is too soon."));
  ASSERT_EQ(limited.status().code(), absl::StatusCode::kResourceExhausted);
  client::ErrorDetails wait = client::GetErrorDetails(limited.status());
  ASSERT_TRUE(wait.retry_delay.has_value());
  EXPECT_THAT(*wait.retry_delay, Gt(absl::ZeroDuration()));
  EXPECT_THAT(*wait.retry_delay, Le(absl::Seconds(15)));
  EXPECT_EQ(wait.reason, "RATE_LIMITED");
  EXPECT_TRUE(wait.field_violations.empty());
}

TEST_F(ClientE2eTest, ModerationClientSendsTheTokenAndStreamsTheQueue) {
  auto token = environment_->AddModerator("lib-moderator");
  ASSERT_TRUE(token.ok()) << token.status();
  client::CallOptions options;
  options.bearer_token = *token;
  client::ModerationClient moderation(Channel(server_->address()), options);
  client::ModerationClient anonymous(Channel(server_->address()),
                                     client::CallOptions{});
  v1::ListQueueRequest queue;
  queue.set_parent("threads/lib-watch");
  EXPECT_EQ(anonymous.ListQueue(queue).status().code(),
            absl::StatusCode::kUnauthenticated);

  client::CommentClient comments(Channel(server_->address()));
  auto waiting = comments.CreateComment(
      Draft("lib-watch", "ada.watch@example.org", "Waiting to be seen."));
  ASSERT_TRUE(waiting.ok()) << waiting.status();
  auto listed = moderation.ListQueue(queue);
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_EQ(listed->comments_size(), 1);
  EXPECT_EQ(listed->comments(0).author_email(), "ada.watch@example.org");

  v1::WatchQueueRequest watch_request;
  watch_request.set_parent("threads/lib-watch");
  watch_request.set_include_existing(true);
  std::unique_ptr<client::QueueWatch> watch =
      moderation.WatchQueue(watch_request);
  v1::QueueEvent event;
  ASSERT_TRUE(watch->Next(&event)) << watch->Finish();
  EXPECT_EQ(event.kind(), v1::QueueEvent::ENTERED);
  EXPECT_EQ(event.comment(), waiting->name());

  v1::ApproveCommentRequest approve;
  approve.set_name(waiting->name());
  approve.set_etag(listed->comments(0).etag());
  auto approved = moderation.ApproveComment(approve);
  ASSERT_TRUE(approved.ok()) << approved.status();
  ASSERT_TRUE(watch->Next(&event)) << watch->Finish();
  EXPECT_EQ(event.kind(), v1::QueueEvent::LEFT);
  EXPECT_EQ(event.actor(), "lib-moderator");

  // Cancel from another thread ends a Next that waits for events.
  std::thread canceller([&watch] { watch->Cancel(); });
  EXPECT_FALSE(watch->Next(&event));
  canceller.join();
  EXPECT_EQ(watch->Finish().code(), absl::StatusCode::kCancelled);
}

TEST_F(ClientE2eTest, TlsAndMutualTlsChannels) {
  // One self-signed certificate serves as the server's, the client's and
  // the CA of both.
  const std::string cert = environment_->dir() + "/tls.crt";
  const std::string key = environment_->dir() + "/tls.key";
  auto made = testing::RunCommand(
      {"openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
       "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
       "-keyout", key, "-out", cert});
  ASSERT_TRUE(made.ok()) << made.status();
  ASSERT_EQ(made->exit_code, 0) << made->err;
  auto tls_server =
      environment_->StartServer({absl::StrCat("--tls_cert_file=", cert),
                                 absl::StrCat("--tls_key_file=", key),
                                 absl::StrCat("--tls_client_ca_file=", cert)});
  ASSERT_TRUE(tls_server.ok()) << tls_server.status();
  v1::CountCommentsRequest count;
  count.add_parents("threads/tls-article");

  client::ChannelOptions options;
  options.address = (*tls_server)->address();
  options.ca_file = cert;
  options.cert_file = cert;
  options.key_file = key;
  auto mutual = testing::ScannedChannel(options);
  ASSERT_TRUE(mutual.ok()) << mutual.status();
  client::CallOptions call;
  call.max_attempts = 1;
  auto counted = client::CommentClient(*mutual, call).CountComments(count);
  ASSERT_TRUE(counted.ok()) << counted.status();
  EXPECT_EQ(counted->counts(0).approved_count(), 0);

  // Without a client certificate, or in plaintext, there is no connection.
  options.cert_file.clear();
  options.key_file.clear();
  auto server_only = testing::ScannedChannel(options);
  ASSERT_TRUE(server_only.ok());
  EXPECT_EQ(client::CommentClient(*server_only, call)
                .CountComments(count)
                .status()
                .code(),
            absl::StatusCode::kUnavailable);
  EXPECT_EQ(client::CommentClient(Channel((*tls_server)->address()), call)
                .CountComments(count)
                .status()
                .code(),
            absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace comments
