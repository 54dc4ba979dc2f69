// The public API end to end: real server binary, real PostgreSQL, the client
// library. Every public response is kept and scanned for the emails used.
#include <signal.h>

#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "client/lib/comment_client.h"
#include "gmock/gmock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "tests/support/e2e_environment.h"
#include "tests/support/postgres_instance.h"
#include "tests/support/scanned_channel.h"
#include "tests/support/server_process.h"
#include "tests/support/server_suite.h"
#include "tests/support/wire_details.h"

namespace comments {
namespace {

using wire_details::GetBadRequest;
using wire_details::GetErrorInfo;

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::UnorderedElementsAre;

class ServerE2eTest : public testing::ServerSuite {
 protected:
  static void SetUpTestSuite() {
    // Every call here comes from 127.0.0.1 in quick succession: flood
    // control is off (rules_file_e2e_test covers it).
    StartSuite(COMMENTS_SERVER_PATH,
               {"flood:\n  min_interval_seconds: 0\n  bucket_burst: 0\n",
                {"--db_pool_size=4"}});
    if (HasFatalFailure()) return;
    postgres_ = &environment_->postgres();
  }

  static void TearDownTestSuite() {
    postgres_ = nullptr;
    ServerSuite::TearDownTestSuite();
  }

  // After every test, whatever ran before it: no email used so far is in
  // any public response seen or any line the server logged.
  void TearDown() override {
    const std::vector<std::string> logs = server_->LogLines();
    for (const std::string& email : emails_used_) {
      for (const std::string& response : public_responses_) {
        EXPECT_THAT(response, Not(HasSubstr(email)));
      }
      for (const std::string& line : logs) {
        EXPECT_THAT(line, Not(HasSubstr(email)));
      }
    }
  }

  static client::CommentClient Client(
      int max_attempts = 4, const testing::ServerProcess* server = nullptr) {
    client::CallOptions options;
    options.max_attempts = max_attempts;
    options.timeout = absl::Seconds(10);
    return client::CommentClient(
        testing::ScannedChannel(
            (server == nullptr ? server_ : server)->address()),
        options);
  }

  static v1::CreateCommentRequest Draft(const std::string& thread,
                                        const std::string& email,
                                        const std::string& body) {
    v1::CreateCommentRequest request;
    request.set_parent(absl::StrCat("threads/", thread));
    request.mutable_comment()->set_author_name("Ada Reader");
    request.mutable_comment()->set_author_email(email);
    request.mutable_comment()->set_author_url("https://ada.example.org/");
    request.mutable_comment()->set_body(body);
    return request;
  }

  // Publishes a comment directly: moderation is not what these tests are
  // about, and the public API must not be able to do it.
  static void Approve(const std::string& name) {
    const std::string id = name.substr(name.rfind('/') + 1);
    auto result = postgres_->Query(
        "e2e",
        absl::StrCat("UPDATE comments SET state = 'APPROVED' WHERE id = '", id,
                     "' RETURNING 1"));
    ASSERT_TRUE(result.ok()) << result.status();
    ASSERT_EQ(*result, "1");
  }

  // Records a public response so the suite can check it for emails.
  template <typename Message>
  static const Message& Seen(const Message& message) {
    public_responses_.push_back(message.SerializeAsString());
    public_responses_.push_back(message.DebugString());
    return message;
  }

  static std::vector<std::string> emails_used_;
  static std::vector<std::string> public_responses_;
  static inline testing::PostgresInstance* postgres_ =
      nullptr;  // environment_'s
};

std::vector<std::string> ServerE2eTest::emails_used_;
std::vector<std::string> ServerE2eTest::public_responses_;

TEST_F(ServerE2eTest, SubmitGetListCount) {
  const std::string email = "ada.submit@example.org";
  emails_used_.push_back(email);
  auto created = Client().CreateComment(
      Draft("submit-article", email, "A first comment on this article."));
  ASSERT_TRUE(created.ok()) << created.status();
  Seen(*created);
  EXPECT_EQ(created->state(), v1::PENDING);
  EXPECT_THAT(created->name(), HasSubstr("threads/submit-article/comments/"));
  EXPECT_EQ(created->author_name(), "Ada Reader");

  // Pending comments are invisible to the public.
  auto hidden = Client().GetComment(created->name());
  EXPECT_EQ(hidden.status().code(), absl::StatusCode::kNotFound);

  Approve(created->name());
  auto fetched = Client().GetComment(created->name());
  ASSERT_TRUE(fetched.ok()) << fetched.status();
  Seen(*fetched);
  EXPECT_EQ(fetched->state(), v1::APPROVED);
  EXPECT_EQ(fetched->body(), "A first comment on this article.");

  v1::ListCommentsRequest list;
  list.set_parent("threads/submit-article");
  auto page = Client().ListComments(list);
  ASSERT_TRUE(page.ok()) << page.status();
  Seen(*page);
  ASSERT_EQ(page->comments_size(), 1);
  EXPECT_EQ(page->comments(0).name(), created->name());
  EXPECT_EQ(page->next_page_token(), "");

  v1::CountCommentsRequest count;
  count.add_parents("threads/submit-article");
  count.add_parents("threads/empty-article");
  auto counts = Client().CountComments(count);
  ASSERT_TRUE(counts.ok()) << counts.status();
  Seen(*counts);
  ASSERT_EQ(counts->counts_size(), 2);
  EXPECT_EQ(counts->counts(0).approved_count(), 1);
  EXPECT_EQ(counts->counts(1).approved_count(), 0);
}

TEST_F(ServerE2eTest, InvalidDraftNamesEveryBadFieldAndStoresNothing) {
  v1::CreateCommentRequest request;
  request.set_parent("threads/bad input");
  request.mutable_comment()->set_author_email("not-an-email");
  request.mutable_comment()->set_author_url("javascript:alert(1)");
  request.mutable_comment()->set_body("hi");
  auto created = Client().CreateComment(request);
  ASSERT_EQ(created.status().code(), absl::StatusCode::kInvalidArgument);
  auto bad_request = GetBadRequest(created.status());
  ASSERT_TRUE(bad_request.has_value());
  std::vector<std::string> fields;
  for (const auto& violation : bad_request->field_violations()) {
    fields.push_back(violation.field());
  }
  EXPECT_THAT(fields, ElementsAre("parent", "comment.author_name",
                                  "comment.author_email", "comment.author_url",
                                  "comment.body"));
  auto info = GetErrorInfo(created.status());
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->domain(), "comments.v1");
  EXPECT_THAT(std::string(created.status().message()),
              Not(HasSubstr("not-an-email")));

  auto rows = postgres_->Query("e2e",
                               "SELECT count(*) FROM comments WHERE "
                               "thread = 'bad input'");
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(*rows, "0");
}

TEST_F(ServerE2eTest, RetryWithSameRequestIdReturnsTheOriginal) {
  const std::string email = "ada.retry@example.org";
  emails_used_.push_back(email);
  v1::CreateCommentRequest request =
      Draft("retry-article", email, "Submitted twice by a nervous client.");
  request.set_request_id("6f1c2a0e-8d7b-4c1e-9a55-0b7c3d2e1f00");
  auto first = Client().CreateComment(request);
  ASSERT_TRUE(first.ok()) << first.status();
  auto second = Client().CreateComment(request);
  ASSERT_TRUE(second.ok()) << second.status();
  Seen(*first);
  Seen(*second);
  EXPECT_EQ(first->name(), second->name());

  request.mutable_comment()->set_body("A different comment, same id.");
  auto reused = Client().CreateComment(request);
  EXPECT_EQ(reused.status().code(), absl::StatusCode::kAlreadyExists);
  auto info = GetErrorInfo(reused.status());
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->reason(), "REQUEST_ID_REUSED");

  auto rows = postgres_->Query(
      "e2e", "SELECT count(*) FROM comments WHERE thread = 'retry-article'");
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(*rows, "1");
}

TEST_F(ServerE2eTest, PaginationWalksEveryApprovedCommentOnce) {
  const std::string email = "ada.pages@example.org";
  emails_used_.push_back(email);
  std::vector<std::string> approved;
  for (int i = 0; i < 7; ++i) {
    auto created = Client().CreateComment(
        Draft("paged-article", email, absl::StrCat("Comment number ", i)));
    ASSERT_TRUE(created.ok()) << created.status();
    if (i != 3) {  // one stays pending and must not be listed
      Approve(created->name());
      approved.push_back(created->name());
    }
  }
  std::vector<std::string> walked;
  v1::ListCommentsRequest request;
  request.set_parent("threads/paged-article");
  request.set_page_size(2);
  int pages = 0;
  do {
    auto page = Client().ListComments(request);
    ASSERT_TRUE(page.ok()) << page.status();
    Seen(*page);
    for (const auto& comment : page->comments())
      walked.push_back(comment.name());
    request.set_page_token(page->next_page_token());
    ASSERT_LT(++pages, 10);
  } while (!request.page_token().empty());
  EXPECT_EQ(walked, approved);
  EXPECT_EQ(pages, 3);

  request.set_page_size(-1);
  EXPECT_EQ(Client().ListComments(request).status().code(),
            absl::StatusCode::kInvalidArgument);
  request.set_page_size(2);
  request.set_page_token("garbage");
  EXPECT_EQ(Client().ListComments(request).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(ServerE2eTest, OversizedRequestIsRefusedBeforeTheHandler) {
  const std::string email = "ada.huge@example.org";
  emails_used_.push_back(email);
  // Far past the 64 KiB receive limit, though each field's own limit would
  // also refuse it: gRPC must stop it before it is parsed.
  auto created = Client(1).CreateComment(
      Draft("huge-article", email, std::string(200 * 1024, 'x')));
  EXPECT_EQ(created.status().code(), absl::StatusCode::kResourceExhausted)
      << created.status();
  auto rows = postgres_->Query(
      "e2e", "SELECT count(*) FROM comments WHERE thread = 'huge-article'");
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(*rows, "0");
}

TEST_F(ServerE2eTest, HealthServiceAnswersServing) {
  auto channel = testing::ScannedChannel(server_->address());
  auto health = grpc::health::v1::Health::NewStub(channel);
  grpc::ClientContext context;
  grpc::health::v1::HealthCheckRequest request;
  grpc::health::v1::HealthCheckResponse response;
  ASSERT_TRUE(health->Check(&context, request, &response).ok());
  EXPECT_EQ(response.status(), grpc::health::v1::HealthCheckResponse::SERVING);
}

TEST_F(ServerE2eTest, DatabaseDownIsUnavailableThenRecovers) {
  const std::string email = "ada.outage@example.org";
  emails_used_.push_back(email);
  ASSERT_TRUE(postgres_->Pause().ok());
  auto during =
      Client(/*max_attempts=*/1)
          .CreateComment(Draft("outage-article", email,
                               "Written while the database is down."));
  EXPECT_EQ(during.status().code(), absl::StatusCode::kUnavailable)
      << during.status();
  v1::ListCommentsRequest list;
  list.set_parent("threads/outage-article");
  EXPECT_EQ(Client(1).ListComments(list).status().code(),
            absl::StatusCode::kUnavailable);

  ASSERT_TRUE(postgres_->Resume().ok());
  auto after = Client().CreateComment(
      Draft("outage-article", email, "Written after the database came back."));
  ASSERT_TRUE(after.ok()) << after.status();
  Seen(*after);
  auto rows = postgres_->Query(
      "e2e", "SELECT count(*) FROM comments WHERE thread = 'outage-article'");
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(*rows, "1");
}

TEST_F(ServerE2eTest, StoredRowsHoldNoPlaintextEmail) {
  // A row of its own, and every row the other tests left, if any ran.
  const std::string email = "ada.stored@example.org";
  emails_used_.push_back(email);
  auto created = Client().CreateComment(
      Draft("stored-article", email, "Stored without its address."));
  ASSERT_TRUE(created.ok()) << created.status();
  Seen(*created);
  auto dump = postgres_->Query("e2e", "SELECT c::text FROM comments c");
  ASSERT_TRUE(dump.ok()) << dump.status();
  ASSERT_FALSE(emails_used_.empty());
  for (const std::string& email : emails_used_) {
    EXPECT_THAT(*dump, Not(HasSubstr(email)));
    std::string hex;
    for (unsigned char c : email)
      absl::StrAppend(&hex, absl::Hex(c, absl::kZeroPad2));
    EXPECT_THAT(*dump, Not(HasSubstr(hex)));  // bytea prints as hex
  }
}

// A server of its own, so that stopping it ends no other test's server.
TEST_F(ServerE2eTest, CleanShutdownLogsNoEmail) {
  auto server = environment_->StartServer();
  ASSERT_TRUE(server.ok()) << server.status();
  const std::string email = "ada.shutdown@example.org";
  emails_used_.push_back(email);
  auto created = Client(4, server->get())
                     .CreateComment(Draft("shutdown-article", email,
                                          "Written just before the stop."));
  ASSERT_TRUE(created.ok()) << created.status();
  Seen(*created);
  auto exit_code = (*server)->Stop(SIGTERM, absl::Seconds(5));
  ASSERT_TRUE(exit_code.ok()) << exit_code.status();
  EXPECT_EQ(*exit_code, 0);
  const std::vector<std::string> logs = (*server)->LogLines();
  EXPECT_THAT(logs, ::testing::Contains(HasSubstr("\"msg\":\"stopped\"")));
  for (const std::string& used : emails_used_) {
    for (const std::string& line : logs) {
      EXPECT_THAT(line, Not(HasSubstr(used)));
    }
  }
}

}  // namespace
}  // namespace comments
