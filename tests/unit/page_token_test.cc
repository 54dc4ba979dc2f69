#include "service/domain/page_token.h"

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "service/api/status_mapping.h"
#include "service/domain/error.h"
#include "tests/support/status_details.h"

namespace comments::domain {
namespace {

using api::GetBadRequest;

constexpr char kQuery[] = "comments:threads/article-1";
constexpr char kBadToken[] =
    "must be a next_page_token returned by a previous call with the same "
    "parameters";

// A transparent stand-in for the real cipher (security/page_token_cipher.h,
// tested there): "{query}#{after}", opened only for the same query.
class FakeCodec final : public PageTokenCodec {
 public:
  std::string Seal(std::string_view query, int64_t after) const override {
    return absl::StrCat(std::string(query), "#", after);
  }
  std::optional<int64_t> Open(std::string_view token,
                              std::string_view query) const override {
    const std::string prefix = absl::StrCat(std::string(query), "#");
    if (token.substr(0, prefix.size()) != prefix) return std::nullopt;
    int64_t after = 0;
    const std::string_view digits = token.substr(prefix.size());
    if (!absl::SimpleAtoi(absl::string_view(digits.data(), digits.size()),
                          &after)) {
      return std::nullopt;
    }
    return after;
  }
};

const FakeCodec kCodec;

using ::comments::testing::ViolatedFields;

// The wire reason (the helper's own name is taken by the enum here).
std::string Reason(const absl::Status& status) {
  return ::comments::testing::ErrorReason(status);
}

absl::StatusOr<Page> Resolve(int32_t page_size, std::string page_token,
                             std::string_view query = kQuery) {
  return ResolvePage(PageRequest{page_size, std::move(page_token)}, query,
                     PageLimits(), kCodec);
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
  absl::StatusOr<Page> page =
      ResolvePage(PageRequest{0, ""}, kQuery, limits, kCodec);
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_EQ(page->size, 5);
  page = ResolvePage(PageRequest{8, ""}, kQuery, limits, kCodec);
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_EQ(page->size, 7);
}

TEST(PageTokenTest, NegativeSizeIsInvalidArgumentNamingPageSize) {
  for (int32_t size : {-1, std::numeric_limits<int32_t>::min()}) {
    absl::StatusOr<Page> page = Resolve(size, "");
    EXPECT_EQ(page.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(ViolatedFields(page.status()),
              std::vector<std::string>{"page_size"});
    EXPECT_EQ(GetErrorFacts(page.status()).reason,
              ErrorReason::kInvalidPageSize);
    EXPECT_EQ(Reason(page.status()), "INVALID_PAGE_SIZE");
  }
}

TEST(PageTokenTest, TheCodecsPositionStartsThePage) {
  for (int64_t after : {int64_t{0}, int64_t{1}, int64_t{123456789},
                        std::numeric_limits<int64_t>::max()}) {
    absl::StatusOr<Page> page = Resolve(10, kCodec.Seal(kQuery, after));
    ASSERT_TRUE(page.ok()) << page.status();
    EXPECT_EQ(page->size, 10);
    EXPECT_EQ(page->after, after);
  }
}

TEST(PageTokenTest, ATokenTheCodecRefusesIsInvalidArgumentNamingPageToken) {
  for (const std::string& token :
       {kCodec.Seal("comments:threads/article-2", 5), std::string("garbage"),
        // A sealed negative position is a broken codec, not a page.
        kCodec.Seal(kQuery, -5)}) {
    absl::StatusOr<Page> page = Resolve(10, token);
    EXPECT_EQ(page.status().code(), absl::StatusCode::kInvalidArgument)
        << token;
    EXPECT_EQ(ViolatedFields(page.status()),
              std::vector<std::string>{"page_token"})
        << token;
    EXPECT_EQ(GetErrorFacts(page.status()).reason,
              ErrorReason::kInvalidPageToken)
        << token;
    EXPECT_EQ(Reason(page.status()), "INVALID_PAGE_TOKEN") << token;
    const std::optional<google::rpc::BadRequest> bad_request =
        GetBadRequest(page.status());
    ASSERT_TRUE(bad_request.has_value());
    EXPECT_EQ(bad_request->field_violations(0).description(), kBadToken);
  }
}

TEST(PageTokenTest, BothBadFieldsAreReportedTogether) {
  absl::StatusOr<Page> page = Resolve(-3, "garbage!");
  EXPECT_EQ(page.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ViolatedFields(page.status()),
            (std::vector<std::string>{"page_size", "page_token"}));
  EXPECT_EQ(GetErrorFacts(page.status()).reason, ErrorReason::kInvalidPageSize);
}

TEST(PageTokenTest, TrimToPageSealsTheLastKeptPosition) {
  std::vector<int64_t> items = {3, 5, 8, 13};
  const std::string token = TrimToPage(items, Page{3, 0}, kQuery, kCodec,
                                       [](int64_t item) { return item; });
  EXPECT_EQ(items, (std::vector<int64_t>{3, 5, 8}));
  EXPECT_EQ(kCodec.Open(token, kQuery), 8);

  std::vector<int64_t> last_page = {21, 34};
  EXPECT_EQ(TrimToPage(last_page, Page{3, 0}, kQuery, kCodec,
                       [](int64_t item) { return item; }),
            "");
  EXPECT_EQ(last_page.size(), 2u);
}

}  // namespace
}  // namespace comments::domain
