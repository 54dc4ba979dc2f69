#include "service/api/library_logs.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_split.h"
#include "comments/v1/comments.pb.h"
#include "gmock/gmock.h"
#include "google/protobuf/stubs/logging.h"
#include "grpc/grpc.h"
#include "grpc/support/log.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"

namespace comments::api {
namespace {

using ::testing::HasSubstr;
using ::testing::SizeIs;

// Everything written to standard error (file descriptor 2) while it lives.
class StderrCapture {
 public:
  StderrCapture() {
    std::fflush(stderr);
    char path[] = "/tmp/library_logs_test_XXXXXX";
    file_ = mkstemp(path);
    unlink(path);
    saved_ = dup(STDERR_FILENO);
    dup2(file_, STDERR_FILENO);
  }
  ~StderrCapture() { Restore(); }

  // Stops capturing and returns the lines written.
  std::vector<std::string> Lines() {
    Restore();
    std::string text;
    lseek(file_, 0, SEEK_SET);
    char buffer[4096];
    ssize_t n;
    while ((n = read(file_, buffer, sizeof buffer)) > 0) text.append(buffer, n);
    std::vector<std::string> lines =
        absl::StrSplit(text, '\n', absl::SkipEmpty());
    return lines;
  }

 private:
  void Restore() {
    if (saved_ < 0) return;
    std::fflush(stderr);
    dup2(saved_, STDERR_FILENO);
    close(saved_);
    saved_ = -1;
  }
  int file_ = -1;
  int saved_ = -1;
};

// A CommentDraft on the wire whose author_name (field 1) is `name`, bytes
// as they are.
std::string DraftWithName(const std::string& name) {
  std::string wire;
  wire.push_back(0x0a);  // field 1, length-delimited
  wire.push_back(static_cast<char>(name.size()));
  wire.append(name);
  return wire;
}

class LibraryLogsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    RouteLibraryLogsToJson();
    TakeInvalidUtf8Field();  // nothing left from elsewhere
  }
};

TEST_F(LibraryLogsTest, InvalidUtf8IsKeptForTheCallNotPrinted) {
  StderrCapture capture;
  v1::CommentDraft draft;
  EXPECT_FALSE(draft.ParseFromString(DraftWithName("Ada\xff")));
  EXPECT_EQ(TakeInvalidUtf8Field(), "comments.v1.CommentDraft.author_name");
  // Taken once.
  EXPECT_EQ(TakeInvalidUtf8Field(), std::nullopt);
  EXPECT_THAT(capture.Lines(), SizeIs(0));
}

TEST_F(LibraryLogsTest, AValidMessageLeavesNothing) {
  v1::CommentDraft draft;
  EXPECT_TRUE(draft.ParseFromString(DraftWithName("Ada")));
  EXPECT_EQ(TakeInvalidUtf8Field(), std::nullopt);
}

TEST_F(LibraryLogsTest, TheFieldBelongsToTheThreadThatParsed) {
  std::thread parser([] {
    v1::CommentDraft draft;
    EXPECT_FALSE(draft.ParseFromString(DraftWithName("\xc3(")));
  });
  parser.join();
  EXPECT_EQ(TakeInvalidUtf8Field(), std::nullopt);
}

TEST_F(LibraryLogsTest, ProtobufMessagesBecomeJsonLines) {
  StderrCapture capture;
  GOOGLE_LOG(WARNING) << "protobuf warns";
  const std::vector<std::string> lines = capture.Lines();
  ASSERT_THAT(lines, SizeIs(1));
  const nlohmann::json line = nlohmann::json::parse(lines[0]);
  EXPECT_EQ(line["msg"], "protobuf warns");
  EXPECT_EQ(line["level"], "warning");
  EXPECT_EQ(line["library"], "protobuf");
  EXPECT_THAT(line["source"].get<std::string>(),
              HasSubstr("library_logs_test.cc:"));
}

TEST_F(LibraryLogsTest, GrpcMessagesBecomeJsonLines) {
  // As in the server, where building it starts gRPC: only then does gRPC
  // read its verbosity and print.
  grpc_init();
  StderrCapture capture;
  gpr_log(GPR_ERROR, "grpc says %s", "no");
  const std::vector<std::string> lines = capture.Lines();
  ASSERT_THAT(lines, SizeIs(1));
  const nlohmann::json line = nlohmann::json::parse(lines[0]);
  EXPECT_EQ(line["msg"], "grpc says no");
  EXPECT_EQ(line["level"], "error");
  EXPECT_EQ(line["library"], "grpc");
  grpc_shutdown();
}

TEST(InvalidUtf8FieldWhileParsingTest, ReadsOnlyTheParsingMessage) {
  EXPECT_EQ(InvalidUtf8FieldWhileParsing(
                "String field 'comments.v1.CommentDraft.body' contains invalid "
                "UTF-8 data when parsing a protocol buffer. Use the 'bytes' "
                "type if you intend to send raw bytes. "),
            "comments.v1.CommentDraft.body");
  // Serialising is the server's own data, not a request: logged as usual.
  EXPECT_EQ(InvalidUtf8FieldWhileParsing(
                "String field 'comments.v1.Comment.body' contains invalid "
                "UTF-8 data when serializing a protocol buffer."),
            std::nullopt);
  EXPECT_EQ(InvalidUtf8FieldWhileParsing("String field '' contains invalid "
                                         "UTF-8 data when parsing"),
            std::nullopt);
  EXPECT_EQ(InvalidUtf8FieldWhileParsing("something else"), std::nullopt);
  EXPECT_EQ(InvalidUtf8FieldWhileParsing(""), std::nullopt);
}

}  // namespace
}  // namespace comments::api
