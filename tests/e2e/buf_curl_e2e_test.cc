// The buf curl commands of docs/operations.md, run as written (only the
// port changed) against the real server, which they reach through server
// reflection alone: no .proto file is given to buf.
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "gtest/gtest.h"
#include "tests/support/command.h"
#include "tests/support/e2e_environment.h"

namespace comments {
namespace {

// The block of commands follows this line in the docs.
constexpr char kMarker[] = "<!-- run by tests/e2e/buf_curl_e2e_test.cc -->";
constexpr char kDocsAddress[] = "127.0.0.1:50051";

// The lines starting with "buf curl" in the fenced block after kMarker.
std::vector<std::string> DocumentedCommands() {
  std::ifstream file(COMMENTS_OPERATIONS_DOC);
  std::stringstream text;
  text << file.rdbuf();
  const std::string docs = text.str();
  const size_t marker = docs.find(kMarker);
  if (marker == std::string::npos) return {};
  const size_t open = docs.find("```", marker);
  const size_t body = docs.find('\n', open) + 1;
  const size_t close = docs.find("```", body);
  std::vector<std::string> commands;
  for (absl::string_view line :
       absl::StrSplit(docs.substr(body, close - body), '\n')) {
    if (absl::StartsWith(line, "buf curl ")) commands.emplace_back(line);
  }
  return commands;
}

TEST(BufCurlE2eTest, DocumentedCommandsWorkThroughReflection) {
  const std::vector<std::string> commands = DocumentedCommands();
  ASSERT_EQ(commands.size(), 4u) << "the documented buf curl block changed";
  // Post-moderation, so the submitted comment is public at once.
  auto environment = testing::E2eEnvironment::Create(
      COMMENTS_SERVER_PATH, "moderation:\n  mode: post\n", "bufcurl");
  ASSERT_TRUE(environment.ok()) << environment.status();
  auto server = (*environment)->StartServer();
  ASSERT_TRUE(server.ok()) << server.status();

  const std::string path =
      absl::StrCat(COMMENTS_BUF_DIR, ":", std::getenv("PATH"));
  std::vector<std::string> outputs;
  for (const std::string& command : commands) {
    const std::string line =
        absl::StrReplaceAll(command, {{kDocsAddress, (*server)->address()}});
    auto result =
        testing::RunCommand({"env", "PATH=" + path, "bash", "-c", line});
    ASSERT_TRUE(result.ok()) << result.status();
    ASSERT_EQ(result->exit_code, 0) << line << "\n" << result->err;
    outputs.push_back(result->out);
  }
  // Services, health, the stored comment, and the thread showing it.
  EXPECT_TRUE(absl::StrContains(outputs[0], "grpc.health.v1.Health"))
      << outputs[0];
  EXPECT_TRUE(absl::StrContains(outputs[0], "comments.v1.CommentService"))
      << outputs[0];
  EXPECT_TRUE(absl::StrContains(outputs[0], "comments.v1.ModerationService"))
      << outputs[0];
  EXPECT_TRUE(absl::StrContains(outputs[1], "\"status\": \"SERVING\""))
      << outputs[1];
  EXPECT_TRUE(absl::StrContains(outputs[2], "\"state\": \"APPROVED\""))
      << outputs[2];
  EXPECT_FALSE(absl::StrContains(outputs[2], "@")) << outputs[2];
  EXPECT_TRUE(absl::StrContains(outputs[3], "Hello from buf curl"))
      << outputs[3];
}

}  // namespace
}  // namespace comments
