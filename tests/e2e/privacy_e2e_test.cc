// The hidden email against a hostile caller, through the real server: a
// right and a wrong guess of an author's address get byte-identical answers
// (code, message, details, comment), and a hash key rotated as documented
// (a line appended to its file) hides nothing from erasure.
#include <signal.h>

#include <fstream>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "client/lib/moderation_client.h"
#include "comments/v1/comments.grpc.pb.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "service/security/key_file.h"
#include "tests/e2e/moderation_harness.h"
#include "tests/support/e2e_environment.h"
#include "tests/support/scanned_channel.h"
#include "tests/support/server_process.h"

namespace comments {
namespace {

// Flood control as shipped, and the test itself as the trusted frontend:
// x-forwarded-for gives every caller its own client IP.
constexpr char kRules[] = "client_ip:\n  trusted_proxies: [127.0.0.1/32]\n";

// Everything a caller can observe of one CreateComment, except the new
// comment's own name, thread and time, which differ for every comment (or
// echo the request): the code, message and binary details of the status,
// and the comment returned.
struct Answer {
  int code;
  std::string message;
  std::string details;
  std::string comment;

  bool operator==(const Answer& other) const {
    return code == other.code && message == other.message &&
           details == other.details && comment == other.comment;
  }
};

std::ostream& operator<<(std::ostream& out, const Answer& answer) {
  return out << "code " << answer.code << " \"" << answer.message << "\" "
             << answer.details.size() << " detail bytes, comment "
             << answer.comment.size() << " bytes";
}

class PrivacyE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto environment =
        testing::E2eEnvironment::Create(COMMENTS_SERVER_PATH, kRules);
    ASSERT_TRUE(environment.ok()) << environment.status();
    environment_ = *std::move(environment);
    StartServer();
  }

  void StartServer() {
    auto server = environment_->StartServer();
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    stub_ = v1::CommentService::NewStub(
        testing::ScannedChannel(server_->address()));
  }

  // Sends a draft as the reader at `client_ip` would through its frontend.
  Answer Submit(const std::string& client_ip, const std::string& email,
                const std::string& body, const std::string& name = "Victim",
                const std::string& thread = "privacy") {
    v1::CreateCommentRequest request;
    request.set_parent(absl::StrCat("threads/", thread));
    request.mutable_comment()->set_author_name(name);
    request.mutable_comment()->set_author_email(email);
    request.mutable_comment()->set_body(body);
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(10));
    context.AddMetadata("x-forwarded-for", client_ip);
    context.AddMetadata("x-reader-user-agent", "PrivacyTest/1.0");
    v1::Comment comment;
    const grpc::Status status =
        stub_->CreateComment(&context, request, &comment);
    last_name_ = comment.name();
    comment.clear_name();
    comment.clear_parent();
    comment.clear_create_time();
    return {status.error_code(), status.error_message(), status.error_details(),
            comment.SerializeAsString()};
  }

  std::string Query(const std::string& sql) {
    auto result = environment_->postgres().Query(environment_->database(), sql);
    EXPECT_TRUE(result.ok()) << result.status();
    return result.ok() ? *result : "";
  }

  std::unique_ptr<testing::E2eEnvironment> environment_;
  std::unique_ptr<testing::ServerProcess> server_;
  std::unique_ptr<v1::CommentService::Stub> stub_;
  // A client IP no other submission of the test used.
  std::string FreshNetwork() {
    return absl::StrCat("198.51.100.", ++networks_used_);
  }

  std::string last_name_;
  int networks_used_ = 0;
};

TEST_F(PrivacyE2eTest, RightAndWrongGuessesOfAnAddressGetIdenticalAnswers) {
  const Answer victim = Submit("203.0.113.1", "victim@example.org",
                               "What the victim thinks of this article.");
  ASSERT_EQ(victim.code, grpc::StatusCode::OK) << victim;
  const std::string id = last_name_.substr(last_name_.rfind('/') + 1);
  ASSERT_EQ(Query(absl::StrCat("UPDATE comments SET state = 'APPROVED'"
                               " WHERE id = '",
                               id, "' RETURNING 1")),
            "1");

  // At once, each from its own network: the public body copied to its
  // thread with the victim's address (any case, any tag) and with a wrong
  // one; then a new body on a new thread, which the victim's address sent
  // within its 15 s interval.
  for (bool copied : {true, false}) {
    // The wrong guess is an address that has not posted either.
    const std::vector<std::string> guesses = {
        "victim@example.org", "Victim+Guess@EXAMPLE.org",
        copied ? "wrong@example.org" : "wrong.too@example.org"};
    std::vector<Answer> answers;
    for (size_t i = 0; i < guesses.size(); ++i) {
      answers.push_back(
          copied ? Submit(FreshNetwork(), guesses[i],
                          "What the victim thinks of this article.")
                 : Submit(FreshNetwork(), guesses[i], "Did you just post?",
                          "Victim", absl::StrCat("privacy-", i)));
    }
    EXPECT_EQ(answers[0].code, grpc::StatusCode::OK) << answers[0];
    EXPECT_EQ(answers[0], answers[2]) << copied;
    EXPECT_EQ(answers[1], answers[2]) << copied;
  }
  // Nothing was published twice; moderators see what each one was.
  EXPECT_EQ(Query("SELECT count(*) FROM comments WHERE state = 'APPROVED'"),
            "1");
  EXPECT_EQ(Query("SELECT '[' || array_to_string(flags, ',') || ']'"
                  " FROM comments ORDER BY seq"),
            "[]\n[duplicate,mailbox_flood]\n[duplicate,mailbox_flood]\n"
            "[duplicate]\n[mailbox_flood]\n[mailbox_flood]\n[]");

  // Only the caller's own network is refused, the same way whatever the
  // address.
  const Answer limited = Submit("198.51.100.1", "victim@example.org", "Again?");
  EXPECT_EQ(limited.code, grpc::StatusCode::RESOURCE_EXHAUSTED) << limited;
  const Answer other = Submit("198.51.100.2", "wrong@example.org", "Again?");
  EXPECT_EQ(other.code, grpc::StatusCode::RESOURCE_EXHAUSTED) << other;
  EXPECT_EQ(limited.message, other.message);
}

TEST_F(PrivacyE2eTest, EraseFindsEverythingAfterTheHashKeyIsRotated) {
  ASSERT_EQ(Submit("192.0.2.44", "leaving@example.org",
                   "Words from an author who will leave.", "Leaving Reader")
                .code,
            grpc::StatusCode::OK);
  // The mailbox row and the network row.
  ASSERT_EQ(Query("SELECT count(*) FROM submission_limits"), "2");

  // Rotated as documented: a new last line, then a restart.
  ASSERT_EQ(*server_->Stop(SIGTERM, absl::Seconds(5)), 0);
  std::ofstream(environment_->dir() + "/hash.key", std::ios::app)
      << security::NewKeyFileLine("h2");
  StartServer();

  auto token = environment_->AddModerator("eraser");
  ASSERT_TRUE(token.ok()) << token.status();
  client::ModerationClient moderation = testing::ModeratorClient(
      testing::PlaintextChannel(server_->address()), *token);
  v1::EraseAuthorDataRequest erase;
  erase.set_author_email("Leaving@Example.org");
  auto erased = moderation.EraseAuthorData(erase);
  ASSERT_TRUE(erased.ok()) << erased.status();
  EXPECT_EQ(erased->affected_comments(), 1);
  EXPECT_EQ(Query("SELECT author_name, email_ciphertext IS NULL,"
                  " email_hash IS NULL, client_ip IS NULL, user_agent IS NULL"
                  " FROM comments"),
            "Anonymous|t|t|t|t");
  // The address's flood-control row went with it; the network's stays
  // (it belongs to whoever shares that network, not to the address).
  EXPECT_EQ(Query("SELECT count(*) FROM submission_limits"), "1");
}

}  // namespace
}  // namespace comments
