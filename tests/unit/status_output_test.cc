// How commentctl reports failures, and its exit codes.
#include "client/cli/status_output.h"

#include <sstream>

#include "client/cli/exit_codes.h"
#include "client/lib/call_support.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "service/api/status_mapping.h"
#include "service/domain/error.h"
#include "tests/support/wire_details.h"

namespace comments::cli {
namespace {

using wire_details::GetBadRequest;

using ::testing::HasSubstr;

TEST(ExitCodeTest, EveryFailureClassHasItsCode) {
  EXPECT_EQ(ExitCodeFor(absl::StatusCode::kOk), 0);
  EXPECT_EQ(ExitCodeFor(absl::StatusCode::kInvalidArgument), 2);
  EXPECT_EQ(ExitCodeFor(absl::StatusCode::kOutOfRange), 2);
  EXPECT_EQ(ExitCodeFor(absl::StatusCode::kNotFound), 3);
  EXPECT_EQ(ExitCodeFor(absl::StatusCode::kFailedPrecondition), 4);
  EXPECT_EQ(ExitCodeFor(absl::StatusCode::kAborted), 4);
  EXPECT_EQ(ExitCodeFor(absl::StatusCode::kAlreadyExists), 4);
  EXPECT_EQ(ExitCodeFor(absl::StatusCode::kUnauthenticated), 5);
  EXPECT_EQ(ExitCodeFor(absl::StatusCode::kPermissionDenied), 5);
  EXPECT_EQ(ExitCodeFor(absl::StatusCode::kUnavailable), 6);
  EXPECT_EQ(ExitCodeFor(absl::StatusCode::kDeadlineExceeded), 6);
  EXPECT_EQ(ExitCodeFor(absl::StatusCode::kResourceExhausted), 6);
  EXPECT_EQ(ExitCodeFor(absl::StatusCode::kInternal), 1);
  EXPECT_EQ(ExitCodeFor(absl::StatusCode::kUnimplemented), 1);
  EXPECT_THAT(ExitCodeHelp(), HasSubstr("6  unavailable"));
}

TEST(CodeNameTest, GrpcSpelling) {
  EXPECT_EQ(CodeName(absl::StatusCode::kFailedPrecondition),
            "FAILED_PRECONDITION");
  EXPECT_EQ(CodeName(absl::StatusCode::kOk), "OK");
  EXPECT_EQ(CodeName(static_cast<absl::StatusCode>(42)), "CODE_42");
}

// A server's error as the client receives it.
absl::Status Received(const absl::Status& server_error) {
  return client::FromRpcStatus(api::ToRpcStatus(server_error));
}

absl::Status BadDraft() {
  return domain::InvalidArgumentError(
      domain::ErrorReason::kInvalidComment,
      {{"comment.author_email", "must be a valid email"},
       {"comment.body", "is required"}});
}

TEST(PrintErrorTest, HumanFormSpellsOutEveryField) {
  std::ostringstream err;
  PrintError(err, Received(BadDraft()), /*json=*/false);
  EXPECT_EQ(err.str(),
            "commentctl: error: INVALID_ARGUMENT: invalid request: "
            "comment.author_email must be a valid email; comment.body is "
            "required\n"
            "  comment.author_email: must be a valid email\n"
            "  comment.body: is required\n"
            "  reason: INVALID_COMMENT\n");
}

TEST(PrintErrorTest, SubjectRetryDelayAndHostileText) {
  std::ostringstream err;
  PrintError(err,
             Received(domain::WithRetryDelay(
                 absl::ResourceExhaustedError("slow \x1b[2J down"),
                 absl::Seconds(12))),
             /*json=*/false, "threads/a/comments/1");
  EXPECT_EQ(err.str(),
            "commentctl: error: threads/a/comments/1: RESOURCE_EXHAUSTED: "
            "slow ^[[2J down\n"
            "  retry after: 12s\n");
}

TEST(PrintErrorTest, JsonFormIsOneParseableLine) {
  std::ostringstream err;
  PrintError(
      err,
      Received(domain::WithRetryDelay(BadDraft(), absl::Milliseconds(1500))),
      /*json=*/true, "subject");
  const std::string text = err.str();
  ASSERT_EQ(text.back(), '\n');
  EXPECT_EQ(text.find('\n'), text.size() - 1);
  nlohmann::json line = nlohmann::json::parse(text);
  EXPECT_EQ(line["subject"], "subject");
  EXPECT_EQ(line["error"]["code"], "INVALID_ARGUMENT");
  EXPECT_EQ(line["error"]["exit_code"], 2);
  EXPECT_EQ(line["error"]["reason"], "INVALID_COMMENT");
  EXPECT_EQ(line["error"]["retry_delay_seconds"], 1.5);
  ASSERT_EQ(line["error"]["field_violations"].size(), 2u);
  EXPECT_EQ(line["error"]["field_violations"][1]["field"], "comment.body");
  EXPECT_EQ(line["error"]["field_violations"][1]["description"], "is required");
}

TEST(ToRpcStatusTest, RoundTripsWithTheClientLibrary) {
  const absl::Status original = Received(BadDraft());
  const absl::Status back = client::FromRpcStatus(ToRpcStatus(original));
  EXPECT_EQ(back.code(), original.code());
  EXPECT_EQ(back.message(), original.message());
  auto bad_request = GetBadRequest(back);
  ASSERT_TRUE(bad_request.has_value());
  EXPECT_EQ(bad_request->field_violations_size(), 2);
  EXPECT_EQ(ToRpcStatus(absl::OkStatus()).code(), 0);
}

}  // namespace
}  // namespace comments::cli
