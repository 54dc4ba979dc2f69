// commentctl as a moderator or a script runs it: the real binary as a child
// process, against the real server on a throwaway database. Every command's
// happy path, its --json output parsed and checked, the exit code of each
// failure class, and `review` driven through standard input.
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/support/child_process.h"
#include "tests/support/command.h"
#include "tests/support/e2e_environment.h"
#include "tests/support/known_secrets.h"
#include "tests/support/secret_scan.h"
#include "tests/support/server_suite.h"

namespace comments {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::StartsWith;
using Json = nlohmann::json;

// Flood control would refuse a test's second comment from 127.0.0.1.
constexpr char kRules[] =
    "flood:\n"
    "  min_interval_seconds: 0\n"
    "  bucket_burst: 0\n";

// commentctl's documented exit codes.
constexpr int kExitUsage = 2;
constexpr int kExitNotFound = 3;
constexpr int kExitConflict = 4;
constexpr int kExitAuth = 5;
constexpr int kExitUnavailable = 6;

// A TCP port on 127.0.0.1 that nothing listens on: bound, then released.
int UnusedPort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address = {};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address));
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  close(fd);
  return ntohs(address.sin_port);
}

class CommentctlE2eTest : public testing::ServerSuite {
 protected:
  static void SetUpTestSuite() {
    StartSuite(COMMENTS_SERVER_PATH, {kRules, {}});
    if (HasFatalFailure()) return;
    auto token = environment_->AddModerator("alice");
    ASSERT_TRUE(token.ok()) << token.status();
    token_file_ = new std::string(environment_->dir() + "/alice.token");
    std::ofstream(*token_file_) << *token << "\n";
  }

  static void TearDownTestSuite() {
    delete token_file_;
    token_file_ = nullptr;
    ServerSuite::TearDownTestSuite();
  }

  // The environment of every run: nothing of the test's own leaks in.
  static std::vector<std::string> Env() {
    return {"PATH=/usr/bin:/bin", "TZ=UTC", "LANG=C.UTF-8",
            absl::StrCat("COMMENTS_SERVER=", server_->address()),
            absl::StrCat("COMMENTS_TOKEN_FILE=", *token_file_)};
  }

  static std::vector<std::string> Argv(const std::vector<std::string>& args) {
    std::vector<std::string> argv = {COMMENTCTL_PATH};
    argv.insert(argv.end(), args.begin(), args.end());
    return argv;
  }

  static testing::ChildResult Run(const std::vector<std::string>& args,
                                  const std::string& input = "",
                                  const std::vector<std::string>& env = Env()) {
    auto result = testing::RunChild(Argv(args), env, input);
    EXPECT_TRUE(result.ok()) << result.status();
    if (result.ok()) ExpectNoSecrets(args, *result);
    return result.ok() ? *result : testing::ChildResult{};
  }

  // commentctl shows what a moderator may see: the moderation service hands
  // moderators the reader's address (ModeratedComment.author_email), so
  // addresses are expected in listings and in review's prompts on standard
  // error; a token or a key never is, on either stream. The report names
  // the arguments that hold no secret themselves.
  static void ExpectNoSecrets(const std::vector<std::string>& args,
                              const testing::ChildResult& result) {
    const std::vector<std::string> known = testing::RememberedSecrets();
    std::string shown_args;
    for (const std::string& arg : args) {
      absl::StrAppend(&shown_args, " ",
                      testing::FindSecrets({arg}, known).empty() ? arg : "?");
    }
    for (const auto& [stream, text] :
         {std::pair<const char*, const std::string*>{"standard output",
                                                     &result.out},
          {"standard error", &result.err}}) {
      const std::vector<std::string> lines = absl::StrSplit(*text, '\n');
      for (const testing::SecretFinding& finding :
           testing::FindSecrets(lines, known)) {
        if (finding.kind == "email address") continue;
        ADD_FAILURE() << "commentctl" << shown_args << " wrote " << finding.kind
                      << " on its " << stream << ", line " << finding.line + 1;
      }
    }
  }

  // Runs with --json, expects success and returns the parsed document.
  static Json RunJson(std::vector<std::string> args,
                      const std::string& input = "") {
    args.push_back("--json");
    testing::ChildResult result = Run(args, input);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    Json document = Json::parse(result.out, nullptr, false);
    EXPECT_FALSE(document.is_discarded()) << result.out;
    return document;
  }

  // Submits a comment through commentctl and returns its name.
  static std::string Submit(const std::string& thread, const std::string& email,
                            const std::string& body) {
    Json comment = RunJson({"submit", "--thread", thread, "--name",
                            "Ada Reader", "--email", email, "--body", body});
    return comment.value("name", "");
  }

  static std::string StateOf(const std::string& name) {
    return RunJson({"show", name})["comment"].value("state", "");
  }

  static std::string* token_file_;
};

std::string* CommentctlE2eTest::token_file_ = nullptr;

TEST_F(CommentctlE2eTest, SubmitQueueShowApproveList) {
  Json created = RunJson({"submit", "--thread", "cli-basic", "--name",
                          "Ada Reader", "--email", "ada.basic@example.org",
                          "--url", "https://ada.example.org/", "--body",
                          "Links: http://one.example and http://two.example"});
  const std::string name = created.value("name", "");
  ASSERT_THAT(name, StartsWith("threads/cli-basic/comments/"));
  EXPECT_EQ(created["state"], "PENDING");
  EXPECT_FALSE(created.contains("author_email"));

  Json queue = RunJson({"queue", "--thread", "cli-basic"});
  ASSERT_EQ(queue["comments"].size(), 1u);
  EXPECT_EQ(queue["total_size"], "1");
  const Json& queued = queue["comments"][0];
  EXPECT_EQ(queued["comment"]["name"], name);
  EXPECT_EQ(queued["author_email"], "ada.basic@example.org");
  EXPECT_THAT(queued["flags"].get<std::vector<std::string>>(),
              ElementsAre("links"));

  Json shown = RunJson({"show", name});
  EXPECT_EQ(shown["comment"]["body"],
            "Links: http://one.example and http://two.example");
  EXPECT_FALSE(shown.value("etag", "").empty());

  Json approved = RunJson({"approve", name});
  ASSERT_EQ(approved["results"].size(), 1u);
  EXPECT_EQ(approved["results"][0]["status"]["code"], 0);
  EXPECT_EQ(approved["results"][0]["comment"]["comment"]["state"], "APPROVED");

  Json listed = RunJson({"list", "cli-basic"});
  ASSERT_EQ(listed["comments"].size(), 1u);
  EXPECT_EQ(listed["comments"][0]["name"], name);
  EXPECT_FALSE(listed["comments"][0].contains("author_email"));

  // The human table: aligned columns, one row per comment, a footer.
  testing::ChildResult table =
      Run({"queue", "--thread", "cli-basic", "--state", "approved"});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  std::vector<std::string> lines = absl::StrSplit(table.out, '\n');
  ASSERT_GE(lines.size(), 3u);
  EXPECT_THAT(lines[0], StartsWith("NAME"));
  EXPECT_THAT(lines[1], StartsWith(name));
  EXPECT_EQ(lines[0].find("AUTHOR"), lines[1].find("Ada Reader"));
  EXPECT_EQ(lines[0].find("EMAIL"), lines[1].find("ada.basic@example.org"));
  EXPECT_EQ(lines[2], "1 of 1 APPROVED comments");

  testing::ChildResult human_show = Run({"show", name});
  EXPECT_EQ(human_show.exit_code, 0);
  EXPECT_THAT(human_show.out, HasSubstr("email:      ada.basic@example.org"));
  EXPECT_THAT(human_show.out, HasSubstr("flags:      links"));
  EXPECT_THAT(human_show.out, HasSubstr("APPROVE"));  // the history
}

TEST_F(CommentctlE2eTest, RejectWithReasonThenAuditLog) {
  const std::string name =
      Submit("cli-reject", "ada.reject@example.org", "Rather off topic.");
  Json rejected = RunJson({"reject", name, "--reason", "Off topic"});
  EXPECT_EQ(rejected["results"][0]["comment"]["comment"]["state"], "REJECTED");

  Json log = RunJson({"log", name});
  ASSERT_EQ(log["events"].size(), 1u);
  const Json& event = log["events"][0];
  EXPECT_EQ(event["comment"], name);
  EXPECT_EQ(event["moderator"], "alice");
  EXPECT_EQ(event["action"], "REJECT");
  EXPECT_EQ(event["from_state"], "PENDING");
  EXPECT_EQ(event["to_state"], "REJECTED");
  EXPECT_EQ(event["reason"], "Off topic");

  testing::ChildResult human = Run({"log", name});
  ASSERT_EQ(human.exit_code, 0) << human.err;
  EXPECT_THAT(human.out, HasSubstr("alice"));
  EXPECT_THAT(human.out, HasSubstr("Off topic"));

  // The whole trail holds it too.
  Json all = RunJson({"log", "--limit", "0"});
  bool found = false;
  for (const Json& entry : all["events"]) found |= entry["comment"] == name;
  EXPECT_TRUE(found);
}

TEST_F(CommentctlE2eTest, SpamHonoursTheEtag) {
  const std::string name =
      Submit("cli-etag", "ada.etag@example.org", "Decided twice, at once.");
  const std::string stale = RunJson({"show", name}).value("etag", "");
  ASSERT_EQ(Run({"approve", name}).exit_code, 0);

  testing::ChildResult lost = Run({"spam", name, "--etag", stale});
  EXPECT_EQ(lost.exit_code, kExitConflict);
  EXPECT_THAT(lost.err, HasSubstr("ABORTED"));
  EXPECT_EQ(StateOf(name), "APPROVED");

  const std::string current = RunJson({"show", name}).value("etag", "");
  Json spam = RunJson({"spam", name, "--etag", current});
  EXPECT_EQ(spam["results"][0]["comment"]["comment"]["state"], "SPAM");
}

TEST_F(CommentctlE2eTest, BatchFromStdinAndFromAQueueFilter) {
  const std::string first = Submit("cli-batch", "b1@example.org", "First one.");
  const std::string second =
      Submit("cli-batch", "b2@example.org", "Second one.");
  const std::string third = Submit("cli-batch", "b3@example.org", "Third one.");

  Json approved = RunJson({"batch", "--action", "approve"},
                          absl::StrCat("# from a script\n", first, "\n", second,
                                       "  ", first, "\n"));
  ASSERT_EQ(approved["results"].size(), 2u);  // the repeat is dropped
  EXPECT_EQ(approved["results"][0]["name"], first);
  EXPECT_EQ(approved["results"][1]["name"], second);
  for (const Json& result : approved["results"]) {
    EXPECT_EQ(result["status"]["code"], 0);
    EXPECT_EQ(result["comment"]["comment"]["state"], "APPROVED");
  }

  Json dry = RunJson({"batch", "--action", "reject", "--reason", "Duplicate",
                      "--from-queue", "--thread", "cli-batch", "--dry-run"});
  EXPECT_EQ(dry["names"], Json::array({third}));
  EXPECT_EQ(StateOf(third), "PENDING");

  Json rejected =
      RunJson({"batch", "--action", "reject", "--reason", "Duplicate",
               "--from-queue", "--thread", "cli-batch"});
  ASSERT_EQ(rejected["results"].size(), 1u);
  EXPECT_EQ(rejected["results"][0]["name"], third);
  EXPECT_EQ(StateOf(third), "REJECTED");

  // One comment already in the target state: the other is still changed,
  // and the exit code reports the conflict.
  testing::ChildResult mixed = Run({"batch", "--action", "spam", "--json"},
                                   absl::StrCat(first, "\n", third, "\n"));
  EXPECT_EQ(mixed.exit_code, 0);
  testing::ChildResult again = Run({"batch", "--action", "spam", "--json"},
                                   absl::StrCat(first, "\n", second, "\n"));
  EXPECT_EQ(again.exit_code, kExitConflict);
  Json results = Json::parse(again.out, nullptr, false);
  ASSERT_EQ(results["results"].size(), 2u);
  EXPECT_EQ(results["results"][0]["status"]["code"], 9);  // FAILED_PRECONDITION
  EXPECT_EQ(results["results"][1]["status"]["code"], 0);
  Json error = Json::parse(again.err, nullptr, false);
  EXPECT_EQ(error["subject"], first);
  EXPECT_EQ(error["error"]["code"], "FAILED_PRECONDITION");
  EXPECT_EQ(error["error"]["exit_code"], kExitConflict);
}

TEST_F(CommentctlE2eTest, WatchPrintsQueueEventsAsJsonLines) {
  const std::string waiting =
      Submit("cli-watch", "w1@example.org", "Already waiting.");
  auto watch = testing::ChildProcess::Start(
      Argv({"watch", "--thread", "cli-watch", "--include-existing", "--json"}),
      Env());
  ASSERT_TRUE(watch.ok()) << watch.status();

  auto existing = (*watch)->ReadLine(absl::Seconds(20));
  ASSERT_TRUE(existing.ok()) << existing.status();
  Json entered = Json::parse(*existing, nullptr, false);
  EXPECT_EQ(entered["kind"], "ENTERED");
  EXPECT_EQ(entered["comment"], waiting);
  EXPECT_EQ(entered["state"], "PENDING");

  // The stream is live: what happens from here on shows up as it happens.
  const std::string arriving =
      Submit("cli-watch", "w2@example.org", "Arriving while watched.");
  auto arrived = (*watch)->ReadLine(absl::Seconds(20));
  ASSERT_TRUE(arrived.ok()) << arrived.status();
  Json arrived_event = Json::parse(*arrived, nullptr, false);
  EXPECT_EQ(arrived_event["kind"], "ENTERED");
  EXPECT_EQ(arrived_event["comment"], arriving);

  ASSERT_EQ(Run({"approve", waiting}).exit_code, 0);
  auto left = (*watch)->ReadLine(absl::Seconds(20));
  ASSERT_TRUE(left.ok()) << left.status();
  Json left_event = Json::parse(*left, nullptr, false);
  EXPECT_EQ(left_event["kind"], "LEFT");
  EXPECT_EQ(left_event["comment"], waiting);
  EXPECT_EQ(left_event["state"], "APPROVED");
  EXPECT_EQ(left_event["actor"], "alice");

  // Ctrl-C ends a watch cleanly.
  ASSERT_TRUE((*watch)->Signal(SIGINT).ok());
  auto ended = (*watch)->Wait(absl::Seconds(20));
  ASSERT_TRUE(ended.ok()) << ended.status();
  EXPECT_EQ(ended->exit_code, 0) << ended->err;

  // Human lines, and --max-events for scripts that want a few events.
  testing::ChildResult one = Run({"watch", "--thread", "cli-watch",
                                  "--include-existing", "--max-events", "1"});
  EXPECT_EQ(one.exit_code, 0) << one.err;
  EXPECT_THAT(one.out, HasSubstr("ENTERED  PENDING   " + arriving));
}

TEST_F(CommentctlE2eTest, ReviewDrivenThroughStandardInput) {
  const std::string approve_me =
      Submit("cli-review", "r1@example.org", "Please approve me.");
  const std::string reject_me =
      Submit("cli-review", "r2@example.org", "Please reject me.");
  const std::string spam_me =
      Submit("cli-review", "r3@example.org", "Cheap pills here.");
  const std::string skip_me =
      Submit("cli-review", "r4@example.org", "Not sure about me.");

  // An unknown key asks again; the end of input quits.
  testing::ChildResult review = Run({"review", "--thread", "cli-review",
                                     "--reject-reason", "Not civil", "--json"},
                                    "a\nx\nr\n\ns\nn\n");
  ASSERT_EQ(review.exit_code, 0) << review.err;
  Json summary = Json::parse(review.out, nullptr, false);
  EXPECT_EQ(summary["approved"], Json::array({approve_me}));
  EXPECT_EQ(summary["rejected"], Json::array({reject_me}));
  EXPECT_EQ(summary["spam"], Json::array({spam_me}));
  EXPECT_EQ(summary["skipped"], Json::array({skip_me}));
  // With --json the comments are shown on stderr, email included.
  EXPECT_THAT(review.err, HasSubstr("r1@example.org"));
  EXPECT_THAT(review.err, HasSubstr("unknown key"));

  EXPECT_EQ(StateOf(approve_me), "APPROVED");
  EXPECT_EQ(StateOf(reject_me), "REJECTED");
  EXPECT_EQ(StateOf(spam_me), "SPAM");
  EXPECT_EQ(StateOf(skip_me), "PENDING");
  Json log = RunJson({"log", reject_me});
  EXPECT_EQ(log["events"][0]["reason"], "Not civil");

  // Human mode on standard output; q quits at once.
  testing::ChildResult quit = Run({"review", "--thread", "cli-review"}, "q\n");
  ASSERT_EQ(quit.exit_code, 0) << quit.err;
  EXPECT_THAT(quit.out, HasSubstr(skip_me));
  EXPECT_THAT(quit.out, HasSubstr("[a]pprove [r]eject [s]pam [n]ext [q]uit?"));
  EXPECT_THAT(quit.out, HasSubstr("approved 0, rejected 0, spam 0, skipped 0"));
  EXPECT_EQ(StateOf(skip_me), "PENDING");
}

TEST_F(CommentctlE2eTest, EraseAnonymisesAndIsIdempotent) {
  const std::string name =
      Submit("cli-erase", "erase.me@example.org", "Forget me later.");
  // The address comes from standard input, out of shell history.
  Json erased = RunJson({"erase", "-"}, "erase.me@example.org\n");
  EXPECT_EQ(erased["affected_comments"], "1");
  Json shown = RunJson({"show", name});
  EXPECT_EQ(shown["comment"]["author_name"], "Anonymous");
  EXPECT_EQ(shown["author_email"], "");
  EXPECT_EQ(shown["comment"]["body"], "Forget me later.");

  testing::ChildResult again = Run({"erase", "erase.me@example.org"});
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(again.out, "anonymised 0 comments\n");
  EXPECT_THAT(again.out + again.err, Not(HasSubstr("erase.me@example.org")));
}

TEST_F(CommentctlE2eTest, UsageErrorsExitTwoWithTheFieldsSpelledOut) {
  EXPECT_EQ(Run({"frobnicate"}).exit_code, kExitUsage);
  EXPECT_EQ(Run({"approve"}).exit_code, kExitUsage);
  EXPECT_EQ(Run({"queue", "--limit", "-1"}).exit_code, kExitUsage);
  testing::ChildResult state = Run({"queue", "--state", "lost"});
  EXPECT_EQ(state.exit_code, kExitUsage);
  EXPECT_THAT(state.err, HasSubstr("--state"));

  // The server's verdict on a bad request, every bad field named.
  testing::ChildResult human = Run(
      {"submit", "--thread", "bad thread", "--email", "nope", "--body", "hi"});
  EXPECT_EQ(human.exit_code, kExitUsage);
  EXPECT_THAT(human.err, HasSubstr("INVALID_ARGUMENT"));
  EXPECT_THAT(human.err, HasSubstr("\n  parent: "));
  EXPECT_THAT(human.err, HasSubstr("\n  comment.author_name: "));
  EXPECT_THAT(human.err, HasSubstr("\n  comment.author_email: "));
  EXPECT_THAT(human.err, HasSubstr("\n  comment.body: "));
  EXPECT_THAT(human.err, HasSubstr("\n  reason: INVALID_COMMENT"));
  EXPECT_THAT(human.out, IsEmpty());

  testing::ChildResult json =
      Run({"submit", "--thread", "bad thread", "--email", "nope", "--body",
           "hi", "--json"});
  EXPECT_EQ(json.exit_code, kExitUsage);
  Json error = Json::parse(json.err, nullptr, false);
  ASSERT_FALSE(error.is_discarded()) << json.err;
  EXPECT_EQ(error["error"]["code"], "INVALID_ARGUMENT");
  EXPECT_EQ(error["error"]["exit_code"], kExitUsage);
  EXPECT_EQ(error["error"]["reason"], "INVALID_COMMENT");
  std::vector<std::string> fields;
  for (const Json& violation : error["error"]["field_violations"]) {
    fields.push_back(violation.value("field", ""));
  }
  EXPECT_THAT(fields, ElementsAre("parent", "comment.author_name",
                                  "comment.author_email", "comment.body"));
}

TEST_F(CommentctlE2eTest, NotFoundExitsThree) {
  testing::ChildResult missing =
      Run({"show",
           "threads/cli-none/comments/0b8e3f8e-3c1a-4d5e-9f00-"
           "1a2b3c4d5e6f"});
  EXPECT_EQ(missing.exit_code, kExitNotFound);
  EXPECT_THAT(missing.err, HasSubstr("NOT_FOUND"));
}

TEST_F(CommentctlE2eTest, ConflictExitsFour) {
  const std::string name =
      Submit("cli-conflict", "c1@example.org", "Approved twice.");
  ASSERT_EQ(Run({"approve", name}).exit_code, 0);
  testing::ChildResult twice = Run({"approve", name});
  EXPECT_EQ(twice.exit_code, kExitConflict);
  EXPECT_THAT(twice.err, HasSubstr("FAILED_PRECONDITION"));
}

TEST_F(CommentctlE2eTest, MissingOrBadTokenExitsFive) {
  const std::vector<std::string> no_token = {
      "PATH=/usr/bin:/bin",
      absl::StrCat("COMMENTS_SERVER=", server_->address())};
  testing::ChildResult missing = Run({"queue"}, "", no_token);
  EXPECT_EQ(missing.exit_code, kExitAuth);
  EXPECT_THAT(missing.err, HasSubstr("COMMENTS_TOKEN"));

  std::vector<std::string> bad_token = no_token;
  bad_token.push_back("COMMENTS_TOKEN=not-a-real-token");
  testing::ChildResult bad = Run({"queue"}, "", bad_token);
  EXPECT_EQ(bad.exit_code, kExitAuth);
  EXPECT_THAT(bad.err, HasSubstr("UNAUTHENTICATED"));
  EXPECT_THAT(bad.err, Not(HasSubstr("not-a-real-token")));

  // --token-file names the file explicitly.
  testing::ChildResult from_flag =
      Run({"queue", "--token-file", *token_file_}, "", no_token);
  EXPECT_EQ(from_flag.exit_code, 0) << from_flag.err;

  // A token can never be a positional argument (shell history).
  EXPECT_EQ(Run({"queue", "not-a-real-token"}, "", no_token).exit_code,
            kExitUsage);
}

TEST_F(CommentctlE2eTest, ServerDownExitsSix) {
  const std::vector<std::string> env = {
      "PATH=/usr/bin:/bin",
      absl::StrCat("COMMENTS_SERVER=127.0.0.1:", UnusedPort()),
      absl::StrCat("COMMENTS_TOKEN_FILE=", *token_file_)};
  testing::ChildResult down = Run({"queue", "--timeout", "2"}, "", env);
  EXPECT_EQ(down.exit_code, kExitUnavailable);
  EXPECT_THAT(down.err, HasSubstr("UNAVAILABLE"));
}

TEST_F(CommentctlE2eTest, EveryCommandHasHelp) {
  for (const char* command :
       {"queue", "show", "approve", "reject", "spam", "batch", "watch",
        "review", "log", "erase", "submit", "list"}) {
    testing::ChildResult help = Run({command, "--help"});
    EXPECT_EQ(help.exit_code, 0) << command;
    EXPECT_THAT(help.out, HasSubstr(absl::StrCat("commentctl ", command)))
        << command;
    EXPECT_THAT(help.out, HasSubstr("Exit codes:")) << command;
  }
  testing::ChildResult top = Run({"--help"});
  EXPECT_EQ(top.exit_code, 0);
  EXPECT_THAT(top.out, HasSubstr("COMMENTS_TOKEN_FILE"));
}

TEST_F(CommentctlE2eTest, TlsWithAnotherServerNameAndNoWarning) {
  // A certificate for comments.test only, as through a tunnel to 127.0.0.1.
  const std::string cert = environment_->dir() + "/cli-cert.pem";
  const std::string key = environment_->dir() + "/cli-key.pem";
  auto made = testing::RunCommand(
      {"openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
       "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key, "-out", cert,
       "-days", "2", "-subj", "/CN=comments.test", "-addext",
       "subjectAltName=DNS:comments.test"});
  ASSERT_TRUE(made.ok()) << made.status();
  ASSERT_EQ(made->exit_code, 0) << made->err;
  auto server = environment_->StartServer(
      {"--tls_cert_file=" + cert, "--tls_key_file=" + key});
  ASSERT_TRUE(server.ok()) << server.status();
  const std::vector<std::string> tls = {
      "--server", (*server)->address(), "--ca-file", cert, "--timeout", "3"};

  std::vector<std::string> named = tls;
  named.insert(named.end(), {"--server-name", "comments.test", "queue"});
  testing::ChildResult listed = Run(named);
  EXPECT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_EQ(listed.err, "");  // TLS: no warning about the token

  std::vector<std::string> env = Env();
  env.push_back("COMMENTS_TLS_SERVER_NAME=comments.test");
  std::vector<std::string> queue = tls;
  queue.push_back("queue");
  EXPECT_EQ(Run(queue, "", env).exit_code, 0);
  // The certificate does not name 127.0.0.1.
  EXPECT_EQ(Run(queue).exit_code, kExitUnavailable);
}

}  // namespace
}  // namespace comments
