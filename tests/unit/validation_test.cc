#include "service/domain/validation.h"

#include <algorithm>
#include <ostream>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "service/domain/text.h"

namespace comments::domain {

// Readable failure messages for violation lists.
void PrintTo(const FieldViolation& violation, std::ostream* os) {
  *os << "{" << violation.field << ": \"" << violation.description << "\"}";
}

}  // namespace comments::domain

namespace comments::domain {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::TestWithParam;
using ::testing::ValuesIn;

constexpr char kParent[] = "parent";
constexpr char kName[] = "comment.author_name";
constexpr char kEmail[] = "comment.author_email";
constexpr char kUrl[] = "comment.author_url";
constexpr char kBody[] = "comment.body";
constexpr char kReplyTo[] = "comment.reply_to";
constexpr char kRequestId[] = "request_id";

constexpr char kRequired[] = "is required";
constexpr char kBadUtf8[] = "must be valid UTF-8";
constexpr char kNul[] = "must not contain NUL bytes";
constexpr char kParentForm[] =
    "must be of the form threads/{thread}, where {thread} is 1-128 characters "
    "of letters, digits, '.', '_', '~' and '-'";
constexpr char kNameChars[] =
    "must not contain control, bidi-override or zero-width characters";
constexpr char kNameTooLong[] = "must be at most 64 characters";
constexpr char kNameInvisible[] = "must contain a visible character";
constexpr char kNameSeparator[] =
    "must not contain line or paragraph separators";
constexpr char kEmailSyntax[] = "must be a valid email address";
constexpr char kLocalPartTooLong[] = "local part must be at most 64 octets";
constexpr char kEmailTooLong[] = "must be at most 254 octets";
constexpr char kUrlNotHttp[] = "must be an absolute http or https URL";
constexpr char kUrlSpace[] =
    "must not contain control characters or white space";
constexpr char kUrlTooLong[] = "must be at most 2048 characters";
constexpr char kUrlUserInfo[] = "must not contain a user name or password";
constexpr char kUrlPort[] = "must have a port from 1 to 65535";
constexpr char kBodyControl[] =
    "must not contain control characters other than tab, line feed and "
    "carriage return";
constexpr char kBodyTooShort[] =
    "must be at least 3 characters, not counting surrounding white space";
constexpr char kBodyTooLong[] =
    "must be at most 10000 characters, not counting surrounding white space";
constexpr char kReplyToForm[] =
    "must be of the form threads/{thread}/comments/{comment}, where "
    "{comment} is a UUID";
constexpr char kReplyToOtherThread[] =
    "must name a comment of the same thread as parent";
constexpr char kNotUuid[] = "must be a UUID (8-4-4-4-12 hexadecimal digits)";

constexpr char kUuid[] = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";
constexpr char kUpperUuid[] = "0F1E2D3C-4B5A-6978-8796-A5B4C3D2E1F0";

std::string Repeat(std::string_view unit, int times) {
  std::string out;
  for (int i = 0; i < times; ++i) out.append(unit);
  return out;
}

CreateCommentInput ValidInput() {
  CreateCommentInput input;
  input.parent = "threads/article-1";
  input.author_name = "Ada Lovelace";
  input.author_email = "ada@example.com";
  input.body = "A fine article.";
  return input;
}

CreateCommentInput WithParent(std::string value) {
  CreateCommentInput input = ValidInput();
  input.parent = std::move(value);
  return input;
}
CreateCommentInput WithName(std::string value) {
  CreateCommentInput input = ValidInput();
  input.author_name = std::move(value);
  return input;
}
CreateCommentInput WithEmail(std::string value) {
  CreateCommentInput input = ValidInput();
  input.author_email = std::move(value);
  return input;
}
CreateCommentInput WithUrl(std::string value) {
  CreateCommentInput input = ValidInput();
  input.author_url = std::move(value);
  return input;
}
CreateCommentInput WithBody(std::string value) {
  CreateCommentInput input = ValidInput();
  input.body = std::move(value);
  return input;
}
CreateCommentInput WithReplyTo(std::string value) {
  CreateCommentInput input = ValidInput();
  input.reply_to = std::move(value);
  return input;
}
CreateCommentInput WithRequestId(std::string value) {
  CreateCommentInput input = ValidInput();
  input.request_id = std::move(value);
  return input;
}

// An address of exactly `octets` octets with a 64-octet local part, its
// domain made of DNS labels of at most 63 characters.
std::string EmailOfLength(int octets) {
  std::string email = Repeat("a", 64) + "@";
  int remaining = octets - static_cast<int>(email.size());
  while (remaining > 63) {
    // Leaves room for a dot and a label of at least one character.
    const int label = std::min(63, remaining - 2);
    email += Repeat("b", label) + ".";
    remaining -= label + 1;
  }
  return email + Repeat("c", remaining);
}

struct Case {
  std::string label;
  CreateCommentInput input;
  // Empty when the input is valid.
  std::vector<FieldViolation> expected;
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.label; }

std::vector<Case> Cases() {
  using std::string_literals::operator""s;
  const std::string e_acute = "\u00e9";
  const std::string e_combining = "e\u0301";
  const std::string clef = "\U0001D11E";
  return {
      {"ValidInput", ValidInput(), {}},

      // parent
      {"ParentSlug128", WithParent("threads/" + Repeat("a", 128)), {}},
      {"ParentSlugAllUnreserved", WithParent("threads/A-z_0.9~x"), {}},
      {"ParentSlug129",
       WithParent("threads/" + Repeat("a", 129)),
       {{kParent, kParentForm}}},
      {"ParentEmpty", WithParent(""), {{kParent, kRequired}}},
      {"ParentEmptySlug", WithParent("threads/"), {{kParent, kParentForm}}},
      {"ParentWrongCollection",
       WithParent("thread/article-1"),
       {{kParent, kParentForm}}},
      {"ParentExtraSegment",
       WithParent("threads/article-1/comments"),
       {{kParent, kParentForm}}},
      {"ParentSpaceInSlug",
       WithParent("threads/article 1"),
       {{kParent, kParentForm}}},
      {"ParentPercentInSlug",
       WithParent("threads/article%201"),
       {{kParent, kParentForm}}},
      {"ParentNul", WithParent("threads/a\0b"s), {{kParent, kNul}}},
      {"ParentInvalidUtf8",
       WithParent("threads/\xC3\x28"),
       {{kParent, kBadUtf8}}},

      // author_name
      {"Name64Ascii", WithName(Repeat("a", 64)), {}},
      {"Name65Ascii", WithName(Repeat("a", 65)), {{kName, kNameTooLong}}},
      {"Name64TwoByteChars", WithName(Repeat(e_acute, 64)), {}},
      {"Name65TwoByteChars",
       WithName(Repeat(e_acute, 65)),
       {{kName, kNameTooLong}}},
      {"Name64FourByteChars", WithName(Repeat(clef, 64)), {}},
      {"Name65FourByteChars",
       WithName(Repeat(clef, 65)),
       {{kName, kNameTooLong}}},
      // 128 code points as sent, 64 after NFC.
      {"Name64DecomposedCountsAfterNfc", WithName(Repeat(e_combining, 64)), {}},
      {"Name65DecomposedCountsAfterNfc",
       WithName(Repeat(e_combining, 65)),
       {{kName, kNameTooLong}}},
      {"Name64PlusSurroundingSpace",
       WithName("  " + Repeat("a", 64) + "\u00a0\t"),
       {}},
      {"NameEmpty", WithName(""), {{kName, kRequired}}},
      {"NameSpacesOnly", WithName("   "), {{kName, kRequired}}},
      {"NameUnicodeSpacesOnly",
       WithName("\t\u00a0\u3000\u2003\n"),
       {{kName, kRequired}}},
      {"NameRightToLeftOverride",
       WithName("Ada\u202eecalevoL"),
       {{kName, kNameChars}}},
      {"NameLeftToRightIsolate",
       WithName("\u2066Ada\u2069"),
       {{kName, kNameChars}}},
      {"NameZeroWidthSpace", WithName("Ada\u200bL"), {{kName, kNameChars}}},
      {"NameZeroWidthJoiner", WithName("Ada\u200dL"), {{kName, kNameChars}}},
      {"NameWordJoiner", WithName("Ada\u2060L"), {{kName, kNameChars}}},
      {"NameByteOrderMark", WithName("\ufeffAda"), {{kName, kNameChars}}},
      {"NameBell", WithName("Ada\x07"), {{kName, kNameChars}}},
      {"NameInnerTab", WithName("Ada\tLovelace"), {{kName, kNameChars}}},
      {"NameInnerNewline", WithName("Ada\nLovelace"), {{kName, kNameChars}}},
      {"NameC1Control", WithName("Ada\u0085Lovelace"), {{kName, kNameChars}}},
      {"NameDelete", WithName("Ada\x7f"), {{kName, kNameChars}}},
      {"NameNul", WithName("Ada\0"s), {{kName, kNul}}},
      {"NameBadContinuation", WithName("Ad\xC3\x28"), {{kName, kBadUtf8}}},
      {"NameSurrogate", WithName("Ad\xED\xA0\x80"), {{kName, kBadUtf8}}},
      {"NameOverlong", WithName("Ad\xC0\xAF"), {{kName, kBadUtf8}}},
      {"NameBeyondUnicode",
       WithName("Ad\xF4\x90\x80\x80"),
       {{kName, kBadUtf8}}},
      {"NameTruncatedSequence", WithName("Ad\xE2\x82"), {{kName, kBadUtf8}}},
      // Names that show nothing.
      {"NameHangulFiller", WithName("\u3164"), {{kName, kNameInvisible}}},
      {"NameHangulChoseongFiller",
       WithName("\u115f"),
       {{kName, kNameInvisible}}},
      {"NameHalfwidthHangulFiller",
       WithName("\uffa0"),
       {{kName, kNameInvisible}}},
      {"NameBrailleBlank", WithName("\u2800"), {{kName, kNameInvisible}}},
      {"NameCombiningGraphemeJoiner",
       WithName("\u034f"),
       {{kName, kNameInvisible}}},
      {"NameCombiningMarkAlone", WithName("\u0301"), {{kName, kNameInvisible}}},
      {"NameVariationSelectorAlone",
       WithName("\ufe0f"),
       {{kName, kNameInvisible}}},
      {"NameFillersBetweenSpaces",
       WithName(" \u3164 \u2800\u3164 "),
       {{kName, kNameInvisible}}},
      {"NameFillerBesideALetter", WithName("\u3164A"), {}},
      {"NameBrailleLetter", WithName("\u2801"), {}},
      {"NameEmojiWithVariationSelector", WithName("Ada \u2764\ufe0f"), {}},
      {"NameHangul", WithName("\ud55c\uad6d"), {}},
      // A name is one line.
      {"NameLineSeparator",
       WithName("Ada\u2028Lovelace"),
       {{kName, kNameSeparator}}},
      {"NameParagraphSeparator",
       WithName("Ada\u2029Lovelace"),
       {{kName, kNameSeparator}}},
      {"NameTrailingLineSeparator",
       WithName("Ada\u2028"),
       {{kName, kNameSeparator}}},
      {"NameSeparatorOnly", WithName("\u2029"), {{kName, kNameSeparator}}},
      // Look-alikes are accepted (and flagged: moderation_rules_test).
      {"NameMixedScripts", WithName("P\u0430ypal"), {}},
      {"NameLoneContinuation",
       WithName("\x80"
                "Ada"),
       {{kName, kBadUtf8}}},

      // author_email
      {"EmailLocalPart64", WithEmail(Repeat("a", 64) + "@example.com"), {}},
      {"EmailLocalPart65",
       WithEmail(Repeat("a", 65) + "@example.com"),
       {{kEmail, kLocalPartTooLong}}},
      {"Email254Octets", WithEmail(EmailOfLength(254)), {}},
      {"Email255Octets",
       WithEmail(EmailOfLength(255)),
       {{kEmail, kEmailTooLong}}},
      {"EmailLabel63", WithEmail("ada@" + Repeat("b", 63) + ".com"), {}},
      {"EmailLabel64",
       WithEmail("ada@" + Repeat("b", 64) + ".com"),
       {{kEmail, kEmailSyntax}}},
      {"EmailAllLocalPartSymbols",
       WithEmail("a.!#$%&'*+/=?^_`{|}~-z@example.com"),
       {}},
      {"EmailSingleLabelDomain", WithEmail("ada@localhost"), {}},
      {"EmailHyphenInsideLabel", WithEmail("ada@ex-ample.co-uk"), {}},
      {"EmailSurroundingSpace", WithEmail("  ada@example.com\t"), {}},
      {"EmailEmpty", WithEmail(""), {{kEmail, kRequired}}},
      {"EmailSpacesOnly", WithEmail("  \t "), {{kEmail, kRequired}}},
      {"EmailMissingAt",
       WithEmail("ada.example.com"),
       {{kEmail, kEmailSyntax}}},
      {"EmailTwoAts", WithEmail("ada@@example.com"), {{kEmail, kEmailSyntax}}},
      {"EmailEmptyLocalPart",
       WithEmail("@example.com"),
       {{kEmail, kEmailSyntax}}},
      {"EmailEmptyDomain", WithEmail("ada@"), {{kEmail, kEmailSyntax}}},
      {"EmailInnerSpace",
       WithEmail("ada lovelace@example.com"),
       {{kEmail, kEmailSyntax}}},
      {"EmailSpaceInDomain",
       WithEmail("ada@exa mple.com"),
       {{kEmail, kEmailSyntax}}},
      {"EmailTrailingDotDomain",
       WithEmail("ada@example.com."),
       {{kEmail, kEmailSyntax}}},
      {"EmailEmptyLabel",
       WithEmail("ada@example..com"),
       {{kEmail, kEmailSyntax}}},
      {"EmailLeadingHyphenLabel",
       WithEmail("ada@-example.com"),
       {{kEmail, kEmailSyntax}}},
      {"EmailTrailingHyphenLabel",
       WithEmail("ada@example-.com"),
       {{kEmail, kEmailSyntax}}},
      {"EmailUnderscoreInDomain",
       WithEmail("ada@exa_mple.com"),
       {{kEmail, kEmailSyntax}}},
      {"EmailNonAscii",
       WithEmail("\u00e4da@example.com"),
       {{kEmail, kEmailSyntax}}},
      {"EmailQuotedLocalPart",
       WithEmail("\"ada\"@example.com"),
       {{kEmail, kEmailSyntax}}},
      {"EmailNul", WithEmail("ada@example.com\0"s), {{kEmail, kNul}}},
      {"EmailInvalidUtf8",
       WithEmail("ada\xC0\xAF@example.com"),
       {{kEmail, kBadUtf8}}},

      // author_url
      {"UrlAbsent", WithUrl(""), {}},
      {"UrlSpacesOnly", WithUrl("  "), {}},
      {"UrlHttp", WithUrl("http://example.com"), {}},
      {"UrlHttpsUpperCaseWithQueryAndFragment",
       WithUrl("HTTPS://Example.com/a?b#c"),
       {}},
      {"UrlIpv6Host", WithUrl("http://[::1]:8080/"), {}},
      {"UrlSurroundingSpace", WithUrl(" http://example.com/ "), {}},
      {"Url2048Chars",
       WithUrl("http://example.com/" + Repeat("a", 2048 - 19)),
       {}},
      {"Url2049Chars",
       WithUrl("http://example.com/" + Repeat("a", 2049 - 19)),
       {{kUrl, kUrlTooLong}}},
      {"UrlJavascript", WithUrl("javascript:alert(1)"), {{kUrl, kUrlNotHttp}}},
      {"UrlJavascriptMixedCase",
       WithUrl("JaVaScRiPt:alert(1)"),
       {{kUrl, kUrlNotHttp}}},
      {"UrlData", WithUrl("data:text/html,x"), {{kUrl, kUrlNotHttp}}},
      {"UrlTabInScheme", WithUrl("java\tscript:x"), {{kUrl, kUrlSpace}}},
      {"UrlNewlineInScheme", WithUrl("java\nscript:x"), {{kUrl, kUrlSpace}}},
      {"UrlCarriageReturnInScheme",
       WithUrl("java\rscript:x"),
       {{kUrl, kUrlSpace}}},
      {"UrlInnerSpace", WithUrl("http://exa mple.com"), {{kUrl, kUrlSpace}}},
      {"UrlInnerNoBreakSpace",
       WithUrl("http://exa\u00a0mple.com/"),
       {{kUrl, kUrlSpace}}},
      {"UrlControlChar",
       WithUrl("http://example.com/\x01"),
       {{kUrl, kUrlSpace}}},
      {"UrlFtp", WithUrl("ftp://x"), {{kUrl, kUrlNotHttp}}},
      // What a reader sees first is not where the link goes.
      {"UrlUserInfo",
       WithUrl("https://bank.example@evil.example/"),
       {{kUrl, kUrlUserInfo}}},
      {"UrlUserAndPassword",
       WithUrl("http://user:secret@example.com/"),
       {{kUrl, kUrlUserInfo}}},
      {"UrlEmptyUserInfo",
       WithUrl("https://@example.com/"),
       {{kUrl, kUrlUserInfo}}},
      {"UrlAtInPathIsFine", WithUrl("https://example.com/@ada"), {}},
      {"UrlPort1", WithUrl("http://example.com:1/"), {}},
      {"UrlPort65535", WithUrl("http://example.com:65535/"), {}},
      {"UrlEmptyPort", WithUrl("http://example.com:/"), {}},
      {"UrlPort0", WithUrl("http://example.com:0/"), {{kUrl, kUrlPort}}},
      {"UrlPort65536",
       WithUrl("http://example.com:65536/"),
       {{kUrl, kUrlPort}}},
      {"UrlPortHuge",
       WithUrl("http://example.com:99999999999999999999/"),
       {{kUrl, kUrlPort}}},
      {"UrlPortLeadingZeros", WithUrl("http://example.com:000080/"), {}},
      {"UrlPort0WithLeadingZeros",
       WithUrl("http://example.com:00000/"),
       {{kUrl, kUrlPort}}},
      {"UrlIpv6Port70000", WithUrl("http://[::1]:70000/"), {{kUrl, kUrlPort}}},
      {"UrlNoHost", WithUrl("http:example.com"), {{kUrl, kUrlNotHttp}}},
      {"UrlEmptyHost", WithUrl("http:///path"), {{kUrl, kUrlNotHttp}}},
      {"UrlSchemeRelative", WithUrl("//example.com/"), {{kUrl, kUrlNotHttp}}},
      {"UrlNoScheme", WithUrl("example.com"), {{kUrl, kUrlNotHttp}}},
      {"UrlNonAscii",
       WithUrl("http://example.com/\u00e9"),
       {{kUrl, kUrlNotHttp}}},
      {"UrlNul", WithUrl("http://example.com/\0"s), {{kUrl, kNul}}},
      {"UrlInvalidUtf8",
       WithUrl("http://example.com/\xED\xA0\x80"),
       {{kUrl, kBadUtf8}}},

      // body
      {"Body3Chars", WithBody("abc"), {}},
      {"Body2Chars", WithBody("ab"), {{kBody, kBodyTooShort}}},
      {"Body2CharsAfterTrimming", WithBody("  ab  "), {{kBody, kBodyTooShort}}},
      {"Body3CharsAfterTrimming", WithBody("\n abc \n"), {}},
      {"Body3TwoByteChars", WithBody(Repeat(e_acute, 3)), {}},
      {"Body10000Chars", WithBody(Repeat("x", 10000)), {}},
      {"Body10001Chars", WithBody(Repeat("x", 10001)), {{kBody, kBodyTooLong}}},
      {"Body10000TwoByteChars", WithBody(Repeat(e_acute, 10000)), {}},
      {"Body10001TwoByteChars",
       WithBody(Repeat(e_acute, 10001)),
       {{kBody, kBodyTooLong}}},
      {"Body10000CharsPlusSurroundingSpace",
       WithBody("\n\n" + Repeat("x", 10000) + "   "),
       {}},
      {"BodyEmpty", WithBody(""), {{kBody, kRequired}}},
      {"BodySpacesOnly", WithBody(" \n\t "), {{kBody, kRequired}}},
      {"BodyLineBreaksAndTabs", WithBody("one\ntwo\r\n\tthree"), {}},
      {"BodyMarkup", WithBody("<script>alert(1)</script>"), {}},
      {"BodyEmojiZeroWidthJoiner",
       WithBody("\U0001F469\u200D\U0001F4BB nice"),
       {}},
      {"BodyNul", WithBody("abc\0def"s), {{kBody, kNul}}},
      {"BodyBell", WithBody("abc\x07"), {{kBody, kBodyControl}}},
      {"BodyEscape", WithBody("\x1b[31mred"), {{kBody, kBodyControl}}},
      {"BodyDelete", WithBody("abc\x7f"), {{kBody, kBodyControl}}},
      {"BodyC1Control", WithBody("abc\u0085def"), {{kBody, kBodyControl}}},
      {"BodyBadContinuation", WithBody("abc\xC3\x28"), {{kBody, kBadUtf8}}},
      {"BodySurrogate", WithBody("abc\xED\xA0\x80"), {{kBody, kBadUtf8}}},
      {"BodyOverlong", WithBody("abc\xC0\xAF"), {{kBody, kBadUtf8}}},

      // reply_to
      {"ReplyToSameThread",
       WithReplyTo(std::string("threads/article-1/comments/") + kUuid),
       {}},
      {"ReplyToUpperCaseUuid",
       WithReplyTo(std::string("threads/article-1/comments/") + kUpperUuid),
       {}},
      {"ReplyToOtherThread",
       WithReplyTo(std::string("threads/article-2/comments/") + kUuid),
       {{kReplyTo, kReplyToOtherThread}}},
      {"ReplyToNotUuid",
       WithReplyTo("threads/article-1/comments/42"),
       {{kReplyTo, kReplyToForm}}},
      {"ReplyToThreadOnly",
       WithReplyTo("threads/article-1"),
       {{kReplyTo, kReplyToForm}}},
      {"ReplyToWithoutThread",
       WithReplyTo(std::string("comments/") + kUuid),
       {{kReplyTo, kReplyToForm}}},
      {"ReplyToTrailingSlash",
       WithReplyTo(std::string("threads/article-1/comments/") + kUuid + "/"),
       {{kReplyTo, kReplyToForm}}},
      {"ReplyToNul",
       WithReplyTo("threads/article-1/comments/\0"s + kUuid),
       {{kReplyTo, kNul}}},

      // request_id
      {"RequestIdLowerCase", WithRequestId(kUuid), {}},
      {"RequestIdUpperCase", WithRequestId(kUpperUuid), {}},
      {"RequestIdNotUuid", WithRequestId("retry-1"), {{kRequestId, kNotUuid}}},
      {"RequestIdWithoutHyphens",
       WithRequestId("0f1e2d3c4b5a69788796a5b4c3d2e1f0"),
       {{kRequestId, kNotUuid}}},
      {"RequestIdNonHex",
       WithRequestId("0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1fg"),
       {{kRequestId, kNotUuid}}},
      {"RequestIdInvalidUtf8",
       WithRequestId("\xC3\x28"),
       {{kRequestId, kBadUtf8}}},
  };
}

class ValidationFieldTest : public TestWithParam<Case> {};

TEST_P(ValidationFieldTest, ReportsExactlyTheExpectedViolations) {
  const Case& c = GetParam();
  const ValidationResult result =
      ValidateCreateComment(c.input, ValidationLimits());
  EXPECT_EQ(result.violations, c.expected);
  EXPECT_EQ(result.ok(), c.expected.empty());
}

INSTANTIATE_TEST_SUITE_P(Fields, ValidationFieldTest, ValuesIn(Cases()),
                         [](const ::testing::TestParamInfo<Case>& info) {
                           return info.param.label;
                         });

TEST(ValidationTest, EmailHelperBuildsAddressesOfTheRequestedLength) {
  EXPECT_EQ(EmailOfLength(254).size(), 254u);
  EXPECT_EQ(EmailOfLength(255).size(), 255u);
}

TEST(ValidationTest, ReportsEveryBadFieldTogetherInFieldOrder) {
  CreateCommentInput input;
  input.parent = "articles/1";
  input.author_name = " ";
  input.author_email = "not an address";
  input.author_url = "javascript:alert(1)";
  input.body = "ab";
  input.reply_to = "threads/x/comments/1";
  input.request_id = "1";
  const ValidationResult result =
      ValidateCreateComment(input, ValidationLimits());
  EXPECT_FALSE(result.ok());
  EXPECT_THAT(result.violations,
              ElementsAre(FieldViolation{kParent, kParentForm},
                          FieldViolation{kName, kRequired},
                          FieldViolation{kEmail, kEmailSyntax},
                          FieldViolation{kUrl, kUrlNotHttp},
                          FieldViolation{kBody, kBodyTooShort},
                          FieldViolation{kReplyTo, kReplyToForm},
                          FieldViolation{kRequestId, kNotUuid}));
}

TEST(ValidationTest, ReportsEncodingProblemsOfSeveralFieldsTogether) {
  using std::string_literals::operator""s;
  CreateCommentInput input = ValidInput();
  input.author_name = "\xC0\xAF";
  input.author_email = "ada@example.com\0"s;
  input.body = "abc\xED\xA0\x80";
  const ValidationResult result =
      ValidateCreateComment(input, ValidationLimits());
  EXPECT_THAT(result.violations, ElementsAre(FieldViolation{kName, kBadUtf8},
                                             FieldViolation{kEmail, kNul},
                                             FieldViolation{kBody, kBadUtf8}));
}

TEST(ValidationTest, DoesNotCompareReplyToThreadWhenParentIsInvalid) {
  CreateCommentInput input = ValidInput();
  input.parent = "threads/";
  input.reply_to = std::string("threads/other/comments/") + kUuid;
  const ValidationResult result =
      ValidateCreateComment(input, ValidationLimits());
  EXPECT_THAT(result.violations,
              ElementsAre(FieldViolation{kParent, kParentForm}));
}

TEST(ValidationTest, NormalizesTheValidComment) {
  CreateCommentInput input;
  input.parent = "threads/article-1";
  input.author_name = " \u00a0Rene\u0301e\t";
  input.author_email = "  Ada.Lovelace@Example.COM ";
  input.author_url = "  HTTPS://Example.com/a?b#c\n";
  input.body = "  <b>Hello</b>\n\n";
  input.reply_to = std::string("threads/article-1/comments/") + kUpperUuid;
  input.request_id = kUpperUuid;
  const ValidationResult result =
      ValidateCreateComment(input, ValidationLimits());
  ASSERT_THAT(result.violations, IsEmpty());
  const ValidComment& comment = result.comment;
  EXPECT_EQ(comment.thread, "article-1");
  EXPECT_EQ(comment.author_name, "Ren\u00e9e");
  EXPECT_EQ(comment.author_email, "Ada.Lovelace@Example.COM");
  EXPECT_EQ(comment.normalized_email, "ada.lovelace@example.com");
  EXPECT_EQ(comment.author_url, "HTTPS://Example.com/a?b#c");
  EXPECT_EQ(comment.body, "  <b>Hello</b>\n\n");
  EXPECT_EQ(comment.reply_to_id, kUuid);
  EXPECT_EQ(comment.request_id, kUuid);
}

TEST(ValidationTest, LeavesOptionalFieldsEmpty) {
  const ValidationResult result =
      ValidateCreateComment(ValidInput(), ValidationLimits());
  ASSERT_THAT(result.violations, IsEmpty());
  EXPECT_EQ(result.comment.author_url, "");
  EXPECT_EQ(result.comment.reply_to_id, "");
  EXPECT_EQ(result.comment.request_id, "");
}

TEST(ValidationTest, StoresBodyExactlyAsSent) {
  const std::string body = "   indented\r\n\tquote &amp; <i>markup</i>  ";
  const ValidationResult result =
      ValidateCreateComment(WithBody(body), ValidationLimits());
  ASSERT_THAT(result.violations, IsEmpty());
  EXPECT_EQ(result.comment.body, body);
}

TEST(ValidationTest, StoresNameInNfc) {
  const ValidationResult result =
      ValidateCreateComment(WithName("e\u0301"), ValidationLimits());
  ASSERT_THAT(result.violations, IsEmpty());
  EXPECT_EQ(result.comment.author_name, "\u00e9");
}

TEST(ValidationTest, KeepsReplyToIdOfAnotherThreadForTheRecord) {
  const ValidationResult result = ValidateCreateComment(
      WithReplyTo(std::string("threads/other/comments/") + kUpperUuid),
      ValidationLimits());
  EXPECT_THAT(result.violations,
              ElementsAre(FieldViolation{kReplyTo, kReplyToOtherThread}));
  EXPECT_EQ(result.comment.reply_to_id, kUuid);
}

TEST(ValidationTest, TakesLimitsFromConfiguration) {
  ValidationLimits limits;
  limits.author_name_max_chars = 5;
  limits.body_min_chars = 10;
  limits.body_max_chars = 20;
  limits.author_url_max_chars = 20;
  limits.email_local_part_max_octets = 3;
  limits.email_max_octets = 10;

  CreateCommentInput input = ValidInput();
  input.author_name = "Ada L";
  input.author_email = "ada@ex.com";
  input.author_url = "http://example.com/a";
  input.body = Repeat("x", 10);
  EXPECT_THAT(ValidateCreateComment(input, limits).violations, IsEmpty());

  input.author_name = "Ada Lo";
  input.author_email = "adal@e.com";
  input.author_url = "http://example.com/ab";
  input.body = Repeat("x", 9);
  EXPECT_THAT(
      ValidateCreateComment(input, limits).violations,
      ElementsAre(FieldViolation{kName, "must be at most 5 characters"},
                  FieldViolation{kEmail, "local part must be at most 3 octets"},
                  FieldViolation{kUrl, "must be at most 20 characters"},
                  FieldViolation{kBody,
                                 "must be at least 10 characters, not counting "
                                 "surrounding white space"}));

  input.author_email = "ada@ex.org.";
  input.body = Repeat("x", 21);
  EXPECT_THAT(
      ValidateCreateComment(input, limits).violations,
      ElementsAre(FieldViolation{kName, "must be at most 5 characters"},
                  FieldViolation{kEmail, "must be at most 10 octets"},
                  FieldViolation{kUrl, "must be at most 20 characters"},
                  FieldViolation{kBody,
                                 "must be at most 20 characters, not counting "
                                 "surrounding white space"}));
}

TEST(ValidationTest, DescriptionsNeverQuoteTheSubmittedEmail) {
  for (const std::string& email :
       {std::string("secret.person@example.com."),
        std::string("secret.person@@example.com"),
        Repeat("s", 65) + "@example.com", EmailOfLength(255),
        std::string("secret person@example.com")}) {
    const ValidationResult result =
        ValidateCreateComment(WithEmail(email), ValidationLimits());
    ASSERT_EQ(result.violations.size(), 1u) << email;
    EXPECT_EQ(result.violations[0].field, kEmail);
    EXPECT_THAT(result.violations[0].description,
                Not(HasSubstr("example.com")));
    EXPECT_THAT(result.violations[0].description, Not(HasSubstr("@")));
  }
}

TEST(ValidationEmailTest, IsValidEmailAppliesSyntaxAndLimits) {
  const ValidationLimits limits;
  EXPECT_TRUE(IsValidEmail("ada@example.com", limits));
  EXPECT_TRUE(IsValidEmail(EmailOfLength(254), limits));
  EXPECT_FALSE(IsValidEmail(EmailOfLength(255), limits));
  EXPECT_TRUE(IsValidEmail(Repeat("a", 64) + "@x.org", limits));
  EXPECT_FALSE(IsValidEmail(Repeat("a", 65) + "@x.org", limits));
  EXPECT_FALSE(IsValidEmail("ada@example.com.", limits));
  EXPECT_FALSE(IsValidEmail(" ada@example.com", limits));
  EXPECT_FALSE(IsValidEmail("", limits));
}

TEST(ValidationEmailTest, NormalizeEmailTrimsAndLowerCasesAscii) {
  EXPECT_EQ(NormalizeEmail("  Ada.Lovelace@Example.COM\t"),
            "ada.lovelace@example.com");
  EXPECT_EQ(NormalizeEmail("ada@example.com"), "ada@example.com");
}

TEST(ValidationTextTest, IsValidUtf8) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("plain"));
  EXPECT_TRUE(IsValidUtf8("\u00e9\u20ac\U0010FFFF"));
  EXPECT_FALSE(IsValidUtf8("\xC3\x28"));
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));
  EXPECT_FALSE(IsValidUtf8("\xE0\x80\xAF"));
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));
  EXPECT_FALSE(IsValidUtf8("\xFF"));
  EXPECT_FALSE(IsValidUtf8("abc\xE2\x82"));
}

TEST(ValidationTextTest, TrimWhitespaceRemovesUnicodeWhiteSpaceAtBothEnds) {
  EXPECT_EQ(TrimWhitespace(" \t\u00a0\u3000a b\u2028\n"), "a b");
  EXPECT_EQ(TrimWhitespace("   "), "");
  EXPECT_EQ(TrimWhitespace(""), "");
  // Not white space: zero-width space and byte order mark.
  EXPECT_EQ(TrimWhitespace("\u200bx\ufeff"), "\u200bx\ufeff");
}

TEST(ValidationTextTest, CountCodePoints) {
  EXPECT_EQ(CountCodePoints(""), 0);
  EXPECT_EQ(CountCodePoints("abc"), 3);
  EXPECT_EQ(CountCodePoints("\u00e9\u20ac\U0001D11E"), 3);
  EXPECT_EQ(CountCodePoints("e\u0301"), 2);
}

TEST(ValidationTextTest, ToNfcComposes) {
  EXPECT_EQ(ToNfc("e\u0301"), "\u00e9");
  EXPECT_EQ(ToNfc("\u00e9"), "\u00e9");
  EXPECT_EQ(ToNfc("A\u030a"), "\u00c5");
  EXPECT_EQ(ToNfc(""), "");
}

TEST(ValidationTextTest, ControlAndFormatCharacters) {
  EXPECT_FALSE(HasControlOrFormatChars("Ada Lovelace \u00e9"));
  EXPECT_TRUE(HasControlOrFormatChars(std::string("a\0b", 3)));
  EXPECT_TRUE(HasControlOrFormatChars("a\u00adb"));  // soft hyphen, Cf
  EXPECT_TRUE(HasControlOrFormatChars("\u2069"));

  EXPECT_FALSE(HasControlCharsExceptLineBreaks("a\tb\nc\r\n\u200d"));
  EXPECT_TRUE(HasControlCharsExceptLineBreaks(std::string("a\0b", 3)));
  EXPECT_TRUE(HasControlCharsExceptLineBreaks("\x0b"));
  EXPECT_TRUE(HasControlCharsExceptLineBreaks("\u009f"));

  EXPECT_FALSE(HasControlOrWhitespaceChars("http://example.com/"));
  EXPECT_TRUE(HasControlOrWhitespaceChars("a\u2028b"));
  EXPECT_TRUE(HasControlOrWhitespaceChars("a\x01"));
}

}  // namespace
}  // namespace comments::domain
