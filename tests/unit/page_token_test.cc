#include "service/domain/page_token.h"

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "gtest/gtest.h"
#include "service/common/error_details.h"

namespace comments::domain {
namespace {

constexpr char kQuery[] = "comments:threads/article-1";

// The BadRequest violations of an INVALID_ARGUMENT status, as field names.
std::vector<std::string> ViolatedFields(const absl::Status& status) {
  std::vector<std::string> fields;
  std::optional<google::rpc::BadRequest> bad_request = GetBadRequest(status);
  if (!bad_request.has_value()) return fields;
  for (const auto& violation : bad_request->field_violations()) {
    fields.push_back(violation.field());
  }
  return fields;
}

std::string Reason(const absl::Status& status) {
  std::optional<google::rpc::ErrorInfo> info = GetErrorInfo(status);
  return info.has_value() ? info->reason() : "";
}

absl::StatusOr<Page> Resolve(int32_t page_size, std::string page_token,
                             std::string_view query = kQuery) {
  return ResolvePage(PageRequest{page_size, std::move(page_token)}, query,
                     PageLimits());
}

std::string Base64(std::string_view text) {
  return absl::WebSafeBase64Escape(absl::string_view(text.data(), text.size()));
}

TEST(PageTokenTest, ZeroSizeMeansTheDefault) {
  absl::StatusOr<Page> page = Resolve(0, "");
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_EQ(page->size, 20);
  EXPECT_EQ(page->after, 0);
}

TEST(PageTokenTest, SizesUpToTheMaximumAreKept) {
  for (int32_t size : {1, 37, 100}) {
    absl::StatusOr<Page> page = Resolve(size, "");
    ASSERT_TRUE(page.ok()) << page.status();
    EXPECT_EQ(page->size, size);
  }
}

TEST(PageTokenTest, SizesAboveTheMaximumAreReduced) {
  for (int32_t size : {101, 5000, std::numeric_limits<int32_t>::max()}) {
    absl::StatusOr<Page> page = Resolve(size, "");
    ASSERT_TRUE(page.ok()) << page.status();
    EXPECT_EQ(page->size, 100);
  }
}

TEST(PageTokenTest, LimitsComeFromTheCaller) {
  PageLimits limits;
  limits.default_page_size = 5;
  limits.max_page_size = 7;
  absl::StatusOr<Page> page = ResolvePage(PageRequest{0, ""}, kQuery, limits);
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_EQ(page->size, 5);
  page = ResolvePage(PageRequest{8, ""}, kQuery, limits);
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_EQ(page->size, 7);
}

TEST(PageTokenTest, NegativeSizeIsInvalidArgumentNamingPageSize) {
  for (int32_t size : {-1, std::numeric_limits<int32_t>::min()}) {
    absl::StatusOr<Page> page = Resolve(size, "");
    EXPECT_EQ(page.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(ViolatedFields(page.status()),
              std::vector<std::string>{"page_size"});
    EXPECT_EQ(Reason(page.status()), kInvalidPageSizeReason);
    EXPECT_EQ(Reason(page.status()), "INVALID_PAGE_SIZE");
  }
}

TEST(PageTokenTest, TokenRoundTripsThePosition) {
  for (int64_t after : {int64_t{0}, int64_t{1}, int64_t{123456789},
                        std::numeric_limits<int64_t>::max()}) {
    absl::StatusOr<Page> page = Resolve(10, MakePageToken(kQuery, after));
    ASSERT_TRUE(page.ok()) << page.status();
    EXPECT_EQ(page->size, 10);
    EXPECT_EQ(page->after, after);
  }
}

TEST(PageTokenTest, QueryMayContainAnyCharacter) {
  const std::string query = std::string("a:b\n:c\0d", 8);
  absl::StatusOr<Page> page = Resolve(0, MakePageToken(query, 42), query);
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_EQ(page->after, 42);
}

TEST(PageTokenTest, TokenIsUrlSafe) {
  const std::string token = MakePageToken("comments:threads/~?&=+/", 99);
  EXPECT_EQ(token.find_first_not_of(
                "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                "0123456789-_"),
            std::string::npos)
      << token;
}

TEST(PageTokenTest, TokenOfAnotherQueryIsRejected) {
  const std::string token = MakePageToken("comments:threads/article-2", 5);
  absl::StatusOr<Page> page = Resolve(10, token);
  EXPECT_EQ(page.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ViolatedFields(page.status()),
            std::vector<std::string>{"page_token"});
  EXPECT_EQ(Reason(page.status()), kInvalidPageTokenReason);
  EXPECT_EQ(Reason(page.status()), "INVALID_PAGE_TOKEN");
  const std::optional<google::rpc::BadRequest> bad_request =
      GetBadRequest(page.status());
  ASSERT_TRUE(bad_request.has_value());
  EXPECT_EQ(bad_request->field_violations(0).description(),
            "was issued for a different request");
}

TEST(PageTokenTest, MalformedTokensAreRejected) {
  for (const std::string& token : {
           std::string("not base64!"),
           std::string("%%%%"),
           Base64("v1:"),
           Base64("v1:5"),
           Base64(std::string("v1::") + kQuery),
           Base64(std::string("v2:5:") + kQuery),
           Base64(std::string("v1:-5:") + kQuery),
           Base64(std::string("v1:+5:") + kQuery),
           Base64(std::string("v1: 5:") + kQuery),
           Base64(std::string("v1:05:") + kQuery),
           Base64(std::string("v1:5x:") + kQuery),
           Base64(std::string("v1:99999999999999999999:") + kQuery),
       }) {
    absl::StatusOr<Page> page = Resolve(10, token);
    EXPECT_EQ(page.status().code(), absl::StatusCode::kInvalidArgument)
        << token;
    EXPECT_EQ(ViolatedFields(page.status()),
              std::vector<std::string>{"page_token"})
        << token;
    EXPECT_EQ(Reason(page.status()), kInvalidPageTokenReason) << token;
    const std::optional<google::rpc::BadRequest> bad_request =
        GetBadRequest(page.status());
    ASSERT_TRUE(bad_request.has_value());
    EXPECT_EQ(bad_request->field_violations(0).description(),
              "must be a next_page_token returned by a previous call");
  }
}

TEST(PageTokenTest, TokenForAHandWrittenPositionIsAccepted) {
  // The position is not secret: a well-formed token for the same query works
  // whoever wrote it.
  absl::StatusOr<Page> page =
      Resolve(10, Base64(std::string("v1:7:") + kQuery));
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_EQ(page->after, 7);
}

TEST(PageTokenTest, BothBadFieldsAreReportedTogether) {
  absl::StatusOr<Page> page = Resolve(-3, "garbage!");
  EXPECT_EQ(page.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ViolatedFields(page.status()),
            (std::vector<std::string>{"page_size", "page_token"}));
  EXPECT_EQ(Reason(page.status()), kInvalidPageSizeReason);
}

}  // namespace
}  // namespace comments::domain
