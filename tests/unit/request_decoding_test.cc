#include "service/api/request_decoding.h"

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "comments/v1/comments.pb.h"
#include "comments/v1/moderation.pb.h"
#include "gtest/gtest.h"
#include "service/api/status_mapping.h"

namespace comments::api {
namespace {

// Links the generated messages into this binary, so that their descriptors
// are in the generated pool as they are in the server.
const v1::CreateCommentRequest kCommentsLinked;
const v1::BatchModerateCommentsRequest kModerationLinked;

TEST(RequestFieldPathTest, NamesFieldsByTheirPathInTheRequest) {
  EXPECT_EQ(RequestFieldPath("/comments.v1.CommentService/CreateComment",
                             "comments.v1.CommentDraft.author_name"),
            "comment.author_name");
  EXPECT_EQ(RequestFieldPath("/comments.v1.CommentService/CreateComment",
                             "comments.v1.CreateCommentRequest.parent"),
            "parent");
  EXPECT_EQ(RequestFieldPath("/comments.v1.CommentService/CountComments",
                             "comments.v1.CountCommentsRequest.parents"),
            "parents");
  EXPECT_EQ(
      RequestFieldPath("/comments.v1.ModerationService/BatchModerateComments",
                       "comments.v1.BatchModerateCommentsRequest.reason"),
      "reason");
  EXPECT_EQ(RequestFieldPath("/comments.v1.ModerationService/EraseAuthorData",
                             "comments.v1.EraseAuthorDataRequest.author_email"),
            "author_email");
}

TEST(RequestFieldPathTest, UnknownMethodsAndFieldsHaveNoPath) {
  EXPECT_EQ(RequestFieldPath("/comments.v1.CommentService/NoSuchMethod",
                             "comments.v1.CommentDraft.author_name"),
            std::nullopt);
  // A field of another request.
  EXPECT_EQ(RequestFieldPath("/comments.v1.CommentService/GetComment",
                             "comments.v1.CommentDraft.author_name"),
            std::nullopt);
  EXPECT_EQ(RequestFieldPath("", "x"), std::nullopt);
  EXPECT_EQ(RequestFieldPath("comments.v1.CommentService.GetComment",
                             "comments.v1.GetCommentRequest.name"),
            std::nullopt);
}

TEST(UndecodableRequestErrorTest, InvalidUtf8NamesTheField) {
  const absl::Status status =
      UndecodableRequestError("/comments.v1.CommentService/CreateComment",
                              "comments.v1.CommentDraft.body");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  const std::optional<google::rpc::BadRequest> bad_request =
      GetBadRequest(status);
  ASSERT_TRUE(bad_request.has_value());
  ASSERT_EQ(bad_request->field_violations_size(), 1);
  EXPECT_EQ(bad_request->field_violations(0).field(), "comment.body");
  EXPECT_EQ(bad_request->field_violations(0).description(),
            "must be valid UTF-8");
  const std::optional<google::rpc::ErrorInfo> info = GetErrorInfo(status);
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->reason(), "INVALID_UTF8");
  EXPECT_EQ(info->domain(), "comments.v1");
}

TEST(UndecodableRequestErrorTest, InvalidUtf8OfAnUnknownFieldKeepsTheReason) {
  const absl::Status status = UndecodableRequestError(
      "/grpc.health.v1.Health/Check", "grpc.health.v1.Unknown.service");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(GetBadRequest(status).has_value());
  ASSERT_TRUE(GetErrorInfo(status).has_value());
  EXPECT_EQ(GetErrorInfo(status)->reason(), "INVALID_UTF8");
}

TEST(UndecodableRequestErrorTest, OtherBadBytesAreAMalformedRequest) {
  const absl::Status status = UndecodableRequestError(
      "/comments.v1.CommentService/CreateComment", std::nullopt);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "the request message cannot be decoded");
  ASSERT_TRUE(GetErrorInfo(status).has_value());
  EXPECT_EQ(GetErrorInfo(status)->reason(), "MALFORMED_REQUEST");
}

}  // namespace
}  // namespace comments::api
