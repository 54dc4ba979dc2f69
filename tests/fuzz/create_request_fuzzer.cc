// A raw CreateComment request: the bytes as a comments.v1.CreateCommentRequest
// on the wire, translated into the submission's input the way the handler
// does (api/comment_mapping.h) and validated; bytes that do not decode get
// the answer the call interceptor gives them (api/request_decoding.h).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "comments/v1/comments.pb.h"
#include "service/api/comment_mapping.h"
#include "service/api/library_logs.h"
#include "service/api/request_decoding.h"
#include "service/domain/error.h"
#include "tests/fuzz/fuzz_check.h"
#include "tests/fuzz/validation_invariants.h"

namespace {

constexpr char kMethod[] = "/comments.v1.CommentService/CreateComment";

void CheckUndecodable() {
  const std::optional<std::string> field =
      comments::api::TakeInvalidUtf8Field();
  const absl::Status status =
      comments::api::UndecodableRequestError(kMethod, field);
  FUZZ_CHECK(status.code() == absl::StatusCode::kInvalidArgument);
  const comments::domain::ErrorReason reason =
      comments::domain::GetErrorFacts(status).reason;
  if (field.has_value()) {
    // Every string field of the request has a path the caller can read.
    FUZZ_CHECK(comments::api::RequestFieldPath(kMethod, *field).has_value());
    FUZZ_CHECK(reason == comments::domain::ErrorReason::kInvalidUtf8);
  } else {
    FUZZ_CHECK(reason == comments::domain::ErrorReason::kMalformedRequest);
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {
  // As in the server: libprotobuf's refusal of invalid UTF-8 is kept for
  // the request, which is how the interceptor learns the field.
  comments::api::RouteLibraryLogsToJson();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  comments::v1::CreateCommentRequest request;
  if (!request.ParseFromArray(data, static_cast<int>(size))) {
    CheckUndecodable();
    return 0;
  }
  // Nothing is left behind for a later request on this thread.
  FUZZ_CHECK(!comments::api::TakeInvalidUtf8Field().has_value());
  // What decodes re-encodes into the same message.
  comments::v1::CreateCommentRequest again;
  FUZZ_CHECK(again.ParseFromString(request.SerializeAsString()));
  FUZZ_CHECK(again.SerializeAsString() == request.SerializeAsString());

  const comments::domain::CreateCommentInput input =
      comments::api::ToCreateCommentInput(request);
  FUZZ_CHECK(input.parent == request.parent());
  FUZZ_CHECK(input.body == request.comment().body());
  comments::fuzz::CheckValidation(input, comments::fuzz::DefaultLimits());
  comments::fuzz::CheckValidation(input, comments::fuzz::TightLimits());
  return 0;
}
