#include "service/domain/names.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace comments::domain {
namespace {

constexpr char kUuid[] = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";
constexpr char kUpperUuid[] = "0F1E2D3C-4B5A-6978-8796-A5B4C3D2E1F0";

TEST(NamesTest, ThreadSlugAcceptsUnreservedCharacters) {
  EXPECT_TRUE(IsValidThreadSlug("a"));
  EXPECT_TRUE(IsValidThreadSlug("2024-05-01_my.post~draft"));
  EXPECT_TRUE(IsValidThreadSlug("ABCxyz0189"));
  EXPECT_TRUE(IsValidThreadSlug(std::string(kMaxThreadChars, 'x')));
}

TEST(NamesTest, ThreadSlugRejectsEmptyTooLongAndReservedCharacters) {
  EXPECT_FALSE(IsValidThreadSlug(""));
  EXPECT_FALSE(IsValidThreadSlug(std::string(kMaxThreadChars + 1, 'x')));
  for (const char* slug : {"a/b", "a b", "a%20b", "a?b", "a#b", "a+b", "a:b",
                           "caf\u00e9", "a\tb"}) {
    EXPECT_FALSE(IsValidThreadSlug(slug)) << slug;
  }
  EXPECT_FALSE(IsValidThreadSlug(std::string("a\0b", 3)));
}

TEST(NamesTest, UuidAcceptsCanonicalFormInAnyCase) {
  EXPECT_TRUE(IsValidUuid(kUuid));
  EXPECT_TRUE(IsValidUuid(kUpperUuid));
  EXPECT_TRUE(IsValidUuid("00000000-0000-0000-0000-000000000000"));
}

TEST(NamesTest, UuidRejectsOtherForms) {
  for (const char* text : {
           "",
           "0f1e2d3c4b5a69788796a5b4c3d2e1f0",        // no hyphens
           "{0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0}",  // braces
           "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f",     // too short
           "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f00",   // too long
           "0f1e2d3c-4b5a-6978-8796a-5b4c3d2e1f0",    // hyphen misplaced
           "0f1e2d3g-4b5a-6978-8796-a5b4c3d2e1f0",    // not hex
           " 0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f",    // leading space
       }) {
    EXPECT_FALSE(IsValidUuid(text)) << text;
  }
}

TEST(NamesTest, ParseThreadName) {
  EXPECT_EQ(ParseThreadName("threads/article-1"), "article-1");
  EXPECT_EQ(ParseThreadName("threads/" + std::string(128, 'a')),
            std::string(128, 'a'));
  for (const char* name :
       {"", "threads/", "threads", "article-1", "thread/article-1",
        "Threads/article-1", "threads/article-1/", "threads/a/comments",
        "/threads/article-1"}) {
    EXPECT_EQ(ParseThreadName(name), std::nullopt) << name;
  }
  EXPECT_EQ(ParseThreadName("threads/" + std::string(129, 'a')), std::nullopt);
}

TEST(NamesTest, ParseCommentNameLowerCasesTheId) {
  const std::optional<CommentName> name =
      ParseCommentName(std::string("threads/article-1/comments/") + kUpperUuid);
  ASSERT_TRUE(name.has_value());
  EXPECT_EQ(name->thread, "article-1");
  EXPECT_EQ(name->id, kUuid);
}

TEST(NamesTest, ParseCommentNameRejectsMalformedNames) {
  const std::string uuid = kUuid;
  for (const std::string& name : std::vector<std::string>{
           "",
           "threads/article-1/comments/",
           "threads/article-1/comments/42",
           "threads/article-1/replies/" + uuid,
           "threads//comments/" + uuid,
           "threads/article-1/comments/" + uuid + "/",
           "threads/article-1/comments/" + uuid + "/x",
           "threads/a/b/comments/" + uuid,
           "thread/article-1/comments/" + uuid,
           "comments/" + uuid,
           "threads/article 1/comments/" + uuid,
           "threads/article-1",
       }) {
    EXPECT_EQ(ParseCommentName(name), std::nullopt) << name;
  }
}

TEST(NamesTest, FormattersRoundTripThroughParsers) {
  EXPECT_EQ(ThreadName("article-1"), "threads/article-1");
  EXPECT_EQ(CommentResourceName("article-1", kUuid),
            std::string("threads/article-1/comments/") + kUuid);
  EXPECT_EQ(ParseThreadName(ThreadName("a.b~c")), "a.b~c");
  const std::optional<CommentName> name =
      ParseCommentName(CommentResourceName("a.b~c", kUuid));
  ASSERT_TRUE(name.has_value());
  EXPECT_EQ(name->thread, "a.b~c");
  EXPECT_EQ(name->id, kUuid);
}

}  // namespace
}  // namespace comments::domain
