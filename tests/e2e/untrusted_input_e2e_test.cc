// Untrusted input through the real server binary: string fields that are
// not UTF-8 in every method of both services, request bytes that do not
// decode, reader user agents that are not clean text (sent by curl, since
// gRPC's own client refuses to send such metadata), page tokens changed by
// the caller, invisible and look-alike names. Whatever comes in, the call
// answers what the docs promise and the server's log stays one JSON object
// per line.
#include <cstdio>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/barrier.h"
#include "absl/synchronization/notification.h"
#include "client/lib/call_support.h"
#include "client/lib/comment_client.h"
#include "client/lib/error_details.h"
#include "client/lib/moderation_client.h"
#include "comments/v1/comments.grpc.pb.h"
#include "comments/v1/moderation.grpc.pb.h"
#include "gmock/gmock.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/support/command.h"
#include "tests/support/e2e_environment.h"
#include "tests/support/scanned_channel.h"
#include "tests/support/server_process.h"
#include "tests/support/server_suite.h"

namespace comments {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;

// Not UTF-8: 0xff never appears in it. The letters around it are unique, so
// a log line that quoted the value would be found.
constexpr char kNotUtf8[] =
    "Zq\xff"
    "Xv";
constexpr char kThreadPrefix[] = "threads/";

// The gRPC wire frame of one message: no compression, 4-byte length.
std::string GrpcFrame(const std::string& message) {
  std::string frame(1, '\0');
  const uint32_t size = static_cast<uint32_t>(message.size());
  for (int shift = 24; shift >= 0; shift -= 8) {
    frame.push_back(static_cast<char>((size >> shift) & 0xff));
  }
  return frame + message;
}

// The fields a refusal names, as the client library reads them.
std::vector<std::string> ViolatedFields(const absl::Status& status) {
  std::vector<std::string> fields;
  for (const client::FieldViolation& violation :
       client::GetErrorDetails(status).field_violations) {
    fields.push_back(violation.field);
  }
  return fields;
}

std::string Reason(const absl::Status& status) {
  return client::GetErrorDetails(status).reason;
}

class UntrustedInputE2eTest : public testing::ServerSuite {
 protected:
  static void SetUpTestSuite() {
    // Every call comes from 127.0.0.1 in quick succession: no flood limits.
    StartSuite(COMMENTS_SERVER_PATH,
               {"flood:\n  min_interval_seconds: 0\n  bucket_burst: 0\n",
                {"--db_pool_size=4"},
                "untrusted"});
    if (HasFatalFailure()) return;
    auto token = environment_->AddModerator("moderator");
    ASSERT_TRUE(token.ok()) << token.status();
    token_ = new std::string(*token);
  }

  static void TearDownTestSuite() {
    delete token_;
    token_ = nullptr;
    ServerSuite::TearDownTestSuite();
  }

  static std::shared_ptr<grpc::Channel> Channel(
      const testing::ServerProcess& server = *server_) {
    return testing::ScannedChannel(server.address());
  }

  static client::CallOptions Options(
      std::vector<std::pair<std::string, std::string>> metadata = {}) {
    client::CallOptions options;
    options.timeout = absl::Seconds(20);
    options.max_attempts = 1;
    options.metadata = std::move(metadata);
    return options;
  }

  static client::CommentClient Comments(
      const testing::ServerProcess& server = *server_) {
    return client::CommentClient(Channel(server), Options());
  }

  static client::ModerationClient Moderation(
      const testing::ServerProcess& server = *server_) {
    client::CallOptions options = Options();
    options.bearer_token = *token_;
    return client::ModerationClient(Channel(server), options);
  }

  static v1::CreateCommentRequest Draft(const std::string& thread,
                                        const std::string& body,
                                        const std::string& name = "Ada") {
    v1::CreateCommentRequest request;
    request.set_parent(absl::StrCat(kThreadPrefix, thread));
    request.mutable_comment()->set_author_name(name);
    request.mutable_comment()->set_author_email("ada@example.org");
    request.mutable_comment()->set_body(body);
    return request;
  }

  // Creates and approves a comment; returns its name.
  static std::string Published(const std::string& thread,
                               const std::string& body) {
    auto created = Comments().CreateComment(Draft(thread, body));
    EXPECT_TRUE(created.ok()) << created.status();
    if (!created.ok()) return "";
    v1::ApproveCommentRequest approve;
    approve.set_name(created->name());
    auto approved = Moderation().ApproveComment(approve);
    EXPECT_TRUE(approved.ok()) << approved.status();
    return created->name();
  }

  // Every line the server wrote so far is one JSON object, none quotes the
  // bytes sent, none holds libprotobuf's or gRPC's own format.
  static void ExpectJsonLog() {
    const std::vector<std::string> lines = server_->LogLines();
    ASSERT_FALSE(lines.empty());
    for (const std::string& line : lines) {
      const nlohmann::json parsed = nlohmann::json::parse(line, nullptr,
                                                          /*allow_exceptions=*/
                                                          false);
      EXPECT_TRUE(parsed.is_object()) << line;
      EXPECT_THAT(line, Not(HasSubstr("Zq"))) << line;
      EXPECT_THAT(line, Not(HasSubstr("[libprotobuf"))) << line;
    }
  }

  static std::string* token_;
};

std::string* UntrustedInputE2eTest::token_ = nullptr;

// One call whose request has kNotUtf8 in one string field.
struct Utf8Case {
  std::string field;  // the path the error must name
  std::function<grpc::Status(grpc::ClientContext*)> call;
};

// A unary call of a generated stub with `request`, as a Utf8Case's call.
template <typename Stub, typename Request, typename Response>
std::function<grpc::Status(grpc::ClientContext*)> Unary(
    Stub* stub,
    grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&,
                                 Response*),
    Request request) {
  return [stub, method, request](grpc::ClientContext* context) {
    Response response;
    return (stub->*method)(context, request, &response);
  };
}

TEST_F(UntrustedInputE2eTest, InvalidUtf8InAnyStringFieldNamesTheField) {
  // The generated stubs send invalid UTF-8 as it is (libprotobuf only
  // complains on the client's standard error).
  auto comments = v1::CommentService::NewStub(Channel());
  auto moderation = v1::ModerationService::NewStub(Channel());
  using CommentStub = v1::CommentService::Stub;
  using ModerationStub = v1::ModerationService::Stub;
  const std::string name =
      "threads/t/comments/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";
  std::vector<Utf8Case> cases;
  const auto create = [&](std::string field,
                          std::function<void(v1::CreateCommentRequest*)> set) {
    v1::CreateCommentRequest request = Draft("t", "A fine comment.");
    set(&request);
    cases.push_back(
        {std::move(field), Unary(comments.get(), &CommentStub::CreateComment,
                                 std::move(request))});
  };
  create("parent", [](auto* r) { r->set_parent(kNotUtf8); });
  create("comment.author_name",
         [](auto* r) { r->mutable_comment()->set_author_name(kNotUtf8); });
  create("comment.author_email",
         [](auto* r) { r->mutable_comment()->set_author_email(kNotUtf8); });
  create("comment.author_url",
         [](auto* r) { r->mutable_comment()->set_author_url(kNotUtf8); });
  create("comment.body",
         [](auto* r) { r->mutable_comment()->set_body(kNotUtf8); });
  create("comment.reply_to",
         [](auto* r) { r->mutable_comment()->set_reply_to(kNotUtf8); });
  create("request_id", [](auto* r) { r->set_request_id(kNotUtf8); });

  v1::GetCommentRequest get;
  get.set_name(kNotUtf8);
  cases.push_back(
      {"name", Unary(comments.get(), &CommentStub::GetComment, get)});
  v1::ListCommentsRequest list;
  list.set_parent("threads/t");
  list.set_page_token(kNotUtf8);
  cases.push_back(
      {"page_token", Unary(comments.get(), &CommentStub::ListComments, list)});
  v1::CountCommentsRequest count;
  count.add_parents("threads/t");
  count.add_parents(kNotUtf8);
  cases.push_back(
      {"parents", Unary(comments.get(), &CommentStub::CountComments, count)});

  v1::ListQueueRequest queue;
  queue.set_parent(kNotUtf8);
  cases.push_back(
      {"parent", Unary(moderation.get(), &ModerationStub::ListQueue, queue)});
  v1::GetModeratedCommentRequest get_moderated;
  get_moderated.set_name(kNotUtf8);
  cases.push_back(
      {"name", Unary(moderation.get(), &ModerationStub::GetModeratedComment,
                     get_moderated)});
  v1::ApproveCommentRequest approve;
  approve.set_name(name);
  approve.set_etag(kNotUtf8);
  cases.push_back({"etag", Unary(moderation.get(),
                                 &ModerationStub::ApproveComment, approve)});
  v1::RejectCommentRequest reject;
  reject.set_name(name);
  reject.set_reason(kNotUtf8);
  cases.push_back({"reason", Unary(moderation.get(),
                                   &ModerationStub::RejectComment, reject)});
  v1::MarkCommentSpamRequest spam;
  spam.set_name(kNotUtf8);
  cases.push_back({"name", Unary(moderation.get(),
                                 &ModerationStub::MarkCommentSpam, spam)});
  v1::BatchModerateCommentsRequest batch;
  batch.add_names(name);
  batch.add_names(kNotUtf8);
  batch.set_action(v1::APPROVE);
  cases.push_back(
      {"names",
       Unary(moderation.get(), &ModerationStub::BatchModerateComments, batch)});
  v1::ListModerationEventsRequest events;
  events.set_comment(kNotUtf8);
  cases.push_back(
      {"comment",
       Unary(moderation.get(), &ModerationStub::ListModerationEvents, events)});
  v1::EraseAuthorDataRequest erase;
  erase.set_author_email(kNotUtf8);
  cases.push_back(
      {"author_email",
       Unary(moderation.get(), &ModerationStub::EraseAuthorData, erase)});
  // The one server stream.
  cases.push_back({"parent", [&](grpc::ClientContext* context) {
                     v1::WatchQueueRequest request;
                     request.set_parent(kNotUtf8);
                     auto reader = moderation->WatchQueue(context, request);
                     v1::QueueEvent event;
                     while (reader->Read(&event)) {
                     }
                     return reader->Finish();
                   }});
  // Every method of both services is covered.
  EXPECT_EQ(cases.size(), 7u + 3u + 9u);

  for (size_t i = 0; i < cases.size(); ++i) {
    const Utf8Case& c = cases[i];
    SCOPED_TRACE(absl::StrCat("case ", i, ": ", c.field));
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(20));
    context.AddMetadata("authorization", absl::StrCat("Bearer ", *token_));
    const absl::Status status = client::FromGrpcStatus(c.call(&context));
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
    EXPECT_EQ(ViolatedFields(status), std::vector<std::string>{c.field});
    EXPECT_EQ(Reason(status), "INVALID_UTF8");
    EXPECT_EQ(client::GetErrorDetails(status).domain, "comments.v1");
    EXPECT_THAT(std::string(status.message()), Not(HasSubstr("Zq")));
  }
  ExpectJsonLog();
}

TEST_F(UntrustedInputE2eTest, BytesThatDoNotDecodeAreAMalformedRequest) {
  grpc::GenericStub stub(Channel());
  // Field 1 announces 100 bytes and ends after 3.
  const std::string truncated =
      "\x0a\x64"
      "abc";
  for (const char* method : {"/comments.v1.CommentService/CreateComment",
                             "/comments.v1.ModerationService/ListQueue"}) {
    SCOPED_TRACE(method);
    grpc::Slice slice(truncated);
    grpc::ByteBuffer request(&slice, 1);
    grpc::ByteBuffer response;
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(20));
    absl::Notification done;
    grpc::Status result;
    stub.UnaryCall(&context, method, grpc::StubOptions(), &request, &response,
                   [&](grpc::Status status) {
                     result = std::move(status);
                     done.Notify();
                   });
    done.WaitForNotification();
    const absl::Status status = client::FromGrpcStatus(result);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
    EXPECT_EQ(Reason(status), "MALFORMED_REQUEST");
  }
  ExpectJsonLog();
}

// CreateComment sent by curl with `user_agent` as x-reader-user-agent, as a
// proxy might pass on whatever a browser sent. Returns the grpc-status
// trailer ("" if none came) and, when created, the comment's name.
struct CurlResult {
  std::string grpc_status;
  std::string name;
};

CurlResult CreateWithCurl(const testing::ServerProcess& server,
                          const std::string& dir, int index,
                          const std::string& user_agent) {
  v1::CreateCommentRequest request = v1::CreateCommentRequest();
  request.set_parent("threads/agents");
  request.mutable_comment()->set_author_name("Ada");
  request.mutable_comment()->set_author_email(
      absl::StrCat("agent", index, "@example.org"));
  request.mutable_comment()->set_body(
      absl::StrCat("Comment number ", index, " from an odd browser."));
  const std::string request_path = absl::StrCat(dir, "/request-", index);
  const std::string response_path = absl::StrCat(dir, "/response-", index);
  {
    FILE* file = std::fopen(request_path.c_str(), "wb");
    const std::string frame = GrpcFrame(request.SerializeAsString());
    std::fwrite(frame.data(), 1, frame.size(), file);
    std::fclose(file);
  }
  auto run = testing::RunCommand(
      {"curl",
       "--silent",
       "--show-error",
       "--http2-prior-knowledge",
       "--max-time",
       "20",
       "--request",
       "POST",
       "--header",
       "content-type: application/grpc",
       "--header",
       "te: trailers",
       "--header",
       absl::StrCat("x-reader-user-agent: ", user_agent),
       "--data-binary",
       absl::StrCat("@", request_path),
       "--output",
       response_path,
       "--dump-header",
       "-",
       absl::StrCat("http://", server.address(),
                    "/comments.v1.CommentService/CreateComment")});
  CurlResult result;
  EXPECT_TRUE(run.ok()) << run.status();
  if (!run.ok()) return result;
  EXPECT_EQ(run->exit_code, 0) << run->err;
  for (absl::string_view line : absl::StrSplit(run->out, '\n')) {
    line = absl::StripAsciiWhitespace(line);
    if (absl::ConsumePrefix(&line, "grpc-status:")) {
      result.grpc_status = std::string(absl::StripAsciiWhitespace(line));
    }
  }
  std::string body;
  if (FILE* file = std::fopen(response_path.c_str(), "rb")) {
    char buffer[4096];
    size_t n;
    while ((n = std::fread(buffer, 1, sizeof buffer, file)) > 0) {
      body.append(buffer, n);
    }
    std::fclose(file);
  }
  v1::Comment comment;
  if (body.size() > 5 && comment.ParseFromString(body.substr(5))) {
    result.name = comment.name();
  }
  return result;
}

TEST_F(UntrustedInputE2eTest, NoUserAgentCanFailASubmissionOrItsBatch) {
  struct Agent {
    std::string sent;
    std::string stored;
  };
  const std::string a511(511, 'a');
  const std::vector<Agent> agents = {
      // Cut mid-character at 512 bytes by the old code.
      {a511 + "\u00e9", a511},
      {"Browser\xff/1.0", "Browser\ufffd/1.0"},
      {"caf\xe9 (Latin-1)", "caf\ufffd (Latin-1)"},
      {"Tab\there \x1b[31m", "Tabhere [31m"},
      {"Fine/1.0 \u00e9\u4e2d", "Fine/1.0 \u00e9\u4e2d"},
  };
  // Submitted together with ordinary comments, so that they share
  // group-commit batches: one bad value must fail nobody.
  constexpr int kOrdinary = 5;
  absl::Barrier* start =
      new absl::Barrier(static_cast<int>(agents.size()) + kOrdinary);
  std::vector<CurlResult> results(agents.size());
  std::vector<absl::Status> ordinary(kOrdinary);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < agents.size(); ++i) {
    threads.emplace_back([&, i] {
      if (start->Block()) delete start;
      results[i] = CreateWithCurl(*server_, environment_->dir(),
                                  static_cast<int>(i), agents[i].sent);
    });
  }
  for (int i = 0; i < kOrdinary; ++i) {
    threads.emplace_back([&, i] {
      if (start->Block()) delete start;
      client::CommentClient client(
          Channel(), Options({{"x-reader-user-agent", "Ordinary/1.0"}}));
      v1::CreateCommentRequest request =
          Draft("agents", absl::StrCat("An ordinary comment, number ", i, "."));
      request.mutable_comment()->set_author_email(
          absl::StrCat("ordinary", i, "@example.org"));
      ordinary[i] = client.CreateComment(request).status();
    });
  }
  for (std::thread& thread : threads) thread.join();

  for (const absl::Status& status : ordinary)
    EXPECT_TRUE(status.ok()) << status;
  for (size_t i = 0; i < agents.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(results[i].grpc_status, "0");
    ASSERT_FALSE(results[i].name.empty());
    auto stored = Moderation().GetModeratedComment(results[i].name);
    ASSERT_TRUE(stored.ok()) << stored.status();
    EXPECT_EQ(stored->user_agent(), agents[i].stored);
  }
  ExpectJsonLog();
}

TEST_F(UntrustedInputE2eTest, PageTokensCannotBeReadChangedOrMoved) {
  const std::string first = Published("paged", "The first comment.");
  const std::string second = Published("paged", "The second comment.");
  Published("paged", "The third comment.");
  Published("other-paged", "A comment elsewhere.");

  v1::ListCommentsRequest list;
  list.set_parent("threads/paged");
  list.set_page_size(1);
  auto page = Comments().ListComments(list);
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->comments_size(), 1);
  EXPECT_EQ(page->comments(0).name(), first);
  const std::string token = page->next_page_token();
  ASSERT_FALSE(token.empty());

  // Nothing readable inside: neither the query nor a position.
  std::string bytes;
  ASSERT_TRUE(absl::WebSafeBase64Unescape(token, &bytes));
  EXPECT_THAT(bytes, Not(HasSubstr("threads/paged")));
  EXPECT_THAT(bytes, Not(HasSubstr("v1:")));

  list.set_page_token(token);
  auto next = Comments().ListComments(list);
  ASSERT_TRUE(next.ok()) << next.status();
  ASSERT_EQ(next->comments_size(), 1);
  EXPECT_EQ(next->comments(0).name(), second);

  // Another replica with the same key files reads the token too.
  auto replica = environment_->StartServer();
  ASSERT_TRUE(replica.ok()) << replica.status();
  auto elsewhere = Comments(**replica).ListComments(list);
  ASSERT_TRUE(elsewhere.ok()) << elsewhere.status();
  ASSERT_EQ(elsewhere->comments_size(), 1);
  EXPECT_EQ(elsewhere->comments(0).name(), second);

  std::string changed = token;
  changed[changed.size() / 2] = changed[changed.size() / 2] == 'A' ? 'B' : 'A';
  const std::string forged =
      absl::WebSafeBase64Escape("v1:0:comments:threads/paged");
  for (const auto& [label, bad_token, parent] :
       std::vector<std::tuple<std::string, std::string, std::string>>{
           {"changed", changed, "threads/paged"},
           {"other thread", token, "threads/other-paged"},
           {"hand-written", forged, "threads/paged"},
       }) {
    SCOPED_TRACE(label);
    v1::ListCommentsRequest bad = list;
    bad.set_parent(parent);
    bad.set_page_token(bad_token);
    auto refused = Comments().ListComments(bad);
    EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(ViolatedFields(refused.status()),
              std::vector<std::string>{"page_token"});
    EXPECT_EQ(Reason(refused.status()), "INVALID_PAGE_TOKEN");
  }
}

TEST_F(UntrustedInputE2eTest, ModerationPageTokensAreSealedToo) {
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(Comments()
                    .CreateComment(Draft("queue-paged",
                                         absl::StrCat("Queued comment ", i)))
                    .ok());
  }
  v1::ListQueueRequest queue;
  queue.set_parent("threads/queue-paged");
  queue.set_page_size(1);
  auto page = Moderation().ListQueue(queue);
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_FALSE(page->next_page_token().empty());
  std::string bytes;
  ASSERT_TRUE(absl::WebSafeBase64Unescape(page->next_page_token(), &bytes));
  EXPECT_THAT(bytes, Not(HasSubstr("queue-paged")));
  queue.set_page_token(page->next_page_token());
  ASSERT_TRUE(Moderation().ListQueue(queue).ok());

  // A token written by hand in the old readable format.
  v1::ListQueueRequest forged = queue;
  forged.set_page_token(
      absl::WebSafeBase64Escape("v1:0:queue:PENDING:threads/queue-paged"));
  EXPECT_EQ(Moderation().ListQueue(forged).status().code(),
            absl::StatusCode::kInvalidArgument);

  std::string changed = page->next_page_token();
  changed[3] = changed[3] == 'A' ? 'B' : 'A';
  v1::ListQueueRequest bad = queue;
  bad.set_page_token(changed);
  auto refused = Moderation().ListQueue(bad);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ViolatedFields(refused.status()),
            std::vector<std::string>{"page_token"});
  // The same token for another state of the queue.
  v1::ListQueueRequest other_state = queue;
  other_state.set_state(v1::SPAM);
  EXPECT_EQ(Moderation().ListQueue(other_state).status().code(),
            absl::StatusCode::kInvalidArgument);

  Published("events-paged", "One approval makes one event.");
  Published("events-paged", "And another.");
  v1::ListModerationEventsRequest events;
  events.set_page_size(1);
  auto events_page = Moderation().ListModerationEvents(events);
  ASSERT_TRUE(events_page.ok()) << events_page.status();
  ASSERT_FALSE(events_page->next_page_token().empty());
  v1::ListModerationEventsRequest forged_events = events;
  forged_events.set_page_token(absl::WebSafeBase64Escape("v1:0:events:"));
  EXPECT_EQ(Moderation().ListModerationEvents(forged_events).status().code(),
            absl::StatusCode::kInvalidArgument);
  std::string changed_events = events_page->next_page_token();
  changed_events[5] = changed_events[5] == 'A' ? 'B' : 'A';
  events.set_page_token(changed_events);
  auto refused_events = Moderation().ListModerationEvents(events);
  EXPECT_EQ(refused_events.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ViolatedFields(refused_events.status()),
            std::vector<std::string>{"page_token"});
}

TEST_F(UntrustedInputE2eTest, InvisibleNamesAreRefusedLookAlikesFlagged) {
  for (const char* invisible : {"\u3164", "\u115f", "\u2800", "\u034f"}) {
    auto refused =
        Comments().CreateComment(Draft("names", "A fine comment.", invisible));
    EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(ViolatedFields(refused.status()),
              std::vector<std::string>{"comment.author_name"});
  }

  auto spoof = Comments().CreateComment(
      Draft("names", "Official news from the editor.", "P\u0430ypal Support"));
  ASSERT_TRUE(spoof.ok()) << spoof.status();
  EXPECT_EQ(spoof->state(), v1::PENDING);
  auto flagged = Moderation().GetModeratedComment(spoof->name());
  ASSERT_TRUE(flagged.ok()) << flagged.status();
  EXPECT_THAT(flagged->flags(), Contains("confusable_name"));

  auto plain = Comments().CreateComment(
      Draft("names", "A comment under a plain name.", "Paypal Support"));
  ASSERT_TRUE(plain.ok()) << plain.status();
  auto unflagged = Moderation().GetModeratedComment(plain->name());
  ASSERT_TRUE(unflagged.ok()) << unflagged.status();
  EXPECT_THAT(unflagged->flags(), Not(Contains("confusable_name")));
}

}  // namespace
}  // namespace comments
