#include "service/domain/text.h"

#include <string>

#include "gtest/gtest.h"

namespace comments::domain {
namespace {

using std::string_literals::operator""s;

std::string Repeat(std::string_view unit, int times) {
  std::string out;
  for (int i = 0; i < times; ++i) out.append(unit);
  return out;
}

TEST(HasVisibleCharTest, LettersDigitsSymbolsAndEmojiAreVisible) {
  for (const std::string& text : {
           "a"s, "7"s, "\u00e9"s, "\u4e2d"s, "\U0001F600"s, "!"s,
           "\u3164a"s,      // a filler beside a letter
           "e\u0301"s,      // a mark on a base
           "\u2800\u2801"s  // a blank beside a drawn braille pattern
       }) {
    EXPECT_TRUE(HasVisibleChar(text)) << text;
  }
}

TEST(HasVisibleCharTest, FillersBlanksAndMarksAloneAreNot) {
  for (const std::string& text : {
           ""s,
           "\u3164"s,         // HANGUL FILLER (default-ignorable)
           "\u115f"s,         // HANGUL CHOSEONG FILLER
           "\u1160"s,         // HANGUL JUNGSEONG FILLER
           "\uffa0"s,         // HALFWIDTH HANGUL FILLER
           "\u2800"s,         // BRAILLE PATTERN BLANK (drawn as nothing)
           "\u034f"s,         // COMBINING GRAPHEME JOINER
           "\u17b4"s,         // KHMER VOWEL INHERENT AQ
           "\ufe0f"s,         // VARIATION SELECTOR-16
           "\u0301"s,         // a combining mark without a base
           "\u200b"s,         // ZERO WIDTH SPACE
           "\u00ad"s,         // SOFT HYPHEN
           "\u3000 \u2003"s,  // ideographic and em spaces
           "\u3164 \u3164"s,  // fillers with spaces between
           "\u2800\u2800"s,   // several blanks
           "\U000E0041"s,     // TAG LATIN CAPITAL LETTER A
           "\ue000"s,         // private use
       }) {
    EXPECT_FALSE(HasVisibleChar(text)) << text;
  }
}

TEST(HasLineOrParagraphSeparatorTest, FindsOnlyThoseTwo) {
  EXPECT_TRUE(HasLineOrParagraphSeparator("Ada\u2028Lovelace"));
  EXPECT_TRUE(HasLineOrParagraphSeparator("\u2029"));
  EXPECT_FALSE(HasLineOrParagraphSeparator("Ada Lovelace\n"));
  EXPECT_FALSE(HasLineOrParagraphSeparator(""));
}

TEST(SanitizeHeaderTextTest, KeepsOrdinaryTextAsIs) {
  const std::string agent =
      "Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/120.0";
  EXPECT_EQ(SanitizeHeaderText(agent, 512), agent);
  EXPECT_EQ(SanitizeHeaderText("Navigateur \u00e9l\u00e9gant \u4e2d", 512),
            "Navigateur \u00e9l\u00e9gant \u4e2d");
  EXPECT_EQ(SanitizeHeaderText("", 512), "");
}

TEST(SanitizeHeaderTextTest, CutsOnACharacterBoundary) {
  // 511 bytes, then a two-byte character that would end at byte 513: the
  // old byte cut left half of it, which PostgreSQL refuses.
  const std::string agent = Repeat("a", 511) + "\u00e9";
  EXPECT_EQ(SanitizeHeaderText(agent, 512), Repeat("a", 511));
  EXPECT_EQ(SanitizeHeaderText(Repeat("a", 510) + "\u00e9", 512),
            Repeat("a", 510) + "\u00e9");
  EXPECT_EQ(SanitizeHeaderText(Repeat("\U0001F600", 200), 512),
            Repeat("\U0001F600", 128));
  EXPECT_EQ(SanitizeHeaderText(Repeat("\u20ac", 200), 10), Repeat("\u20ac", 3));
  EXPECT_EQ(SanitizeHeaderText(Repeat("a", 600), 512), Repeat("a", 512));
}

TEST(SanitizeHeaderTextTest, IllFormedBytesBecomeReplacementCharacters) {
  EXPECT_EQ(SanitizeHeaderText("agent\xff", 512), "agent\ufffd");
  EXPECT_EQ(SanitizeHeaderText("\xc3(", 512), "\ufffd(");
  EXPECT_EQ(SanitizeHeaderText("a\xed\xa0\x80z", 512),
            "a\ufffd\ufffd\ufffdz");  // a surrogate, byte by byte
  EXPECT_EQ(SanitizeHeaderText("\xc0\xaf", 512), "\ufffd\ufffd");  // overlong
  // A half character at the very end, as a byte cut would leave it.
  EXPECT_EQ(SanitizeHeaderText(Repeat("a", 511) + "\xc3", 512),
            Repeat("a", 511));
  // Latin-1 from a proxy that does not speak UTF-8.
  EXPECT_EQ(SanitizeHeaderText("caf\xe9", 512), "caf\ufffd");
}

TEST(SanitizeHeaderTextTest, DropsControlsFormatCharactersAndSeparators) {
  EXPECT_EQ(SanitizeHeaderText("a\0b"s, 512), "ab");
  EXPECT_EQ(SanitizeHeaderText("a\tb\r\nc\x1b[31m\x7f", 512), "abc[31m");
  EXPECT_EQ(SanitizeHeaderText("a\u0085b", 512), "ab");          // C1 (NEL)
  EXPECT_EQ(SanitizeHeaderText("a\u202eb\u2066c", 512), "abc");  // bidi
  EXPECT_EQ(SanitizeHeaderText("a\u200bb\ufeffc", 512), "abc");  // zero width
  EXPECT_EQ(SanitizeHeaderText("a\u2028b\u2029c", 512), "abc");
}

TEST(SanitizeHeaderTextTest, TheResultIsAlwaysValidAndWithinTheLimit) {
  // Every single byte, in every position of a short string.
  for (int byte = 0; byte < 256; ++byte) {
    const std::string raw = "ab" + std::string(1, static_cast<char>(byte)) +
                            "\xe2\x82" + Repeat("\u00e9", 3);
    const std::string clean = SanitizeHeaderText(raw, 7);
    EXPECT_TRUE(IsValidUtf8(clean)) << byte;
    EXPECT_LE(clean.size(), 7u) << byte;
    EXPECT_FALSE(HasControlOrFormatChars(clean)) << byte;
  }
}

}  // namespace
}  // namespace comments::domain
