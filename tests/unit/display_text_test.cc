// Untrusted comment text made safe for a terminal, and measured.
#include "client/cli/display_text.h"

#include "gtest/gtest.h"

namespace comments::cli {
namespace {

TEST(PrintableTest, PlainTextIsUnchanged) {
  EXPECT_EQ(Printable("Hello, 世界! Ünïcödé"), "Hello, 世界! Ünïcödé");
}

TEST(PrintableTest, EscapeSequencesCannotReachTheTerminal) {
  EXPECT_EQ(Printable("red \x1b[31mtext\x07"), "red ^[[31mtext^G");
  EXPECT_EQ(Printable("del\x7f"), "del^?");
  EXPECT_EQ(Printable("c1 \xc2\x9b"
                      "31m"),
            "c1 <U+009B>31m");
}

TEST(PrintableTest, InvisibleCharactersAreShown) {
  // Right-to-left override, zero-width space, byte order mark.
  EXPECT_EQ(Printable("abc\u202Edef"), "abc<U+202E>def");
  EXPECT_EQ(Printable("a\u200Bb"), "a<U+200B>b");
  EXPECT_EQ(Printable("\uFEFFx"), "<U+FEFF>x");
}

TEST(PrintableTest, InvalidUtf8BecomesReplacementCharacters) {
  EXPECT_EQ(Printable("ok\xff\xfe!"), "ok\uFFFD\uFFFD!");
  EXPECT_EQ(Printable("cut \xe4\xb8"), "cut \uFFFD");
}

TEST(PrintableTest, LineBreaksOnOneLineOrKept) {
  EXPECT_EQ(Printable("one\ntwo\r\nthree\tfour\u2028five"),
            "one two  three four five");
  EXPECT_EQ(Printable("one\ntwo\r\nthree\rfour\tend", /*multiline=*/true),
            "one\ntwo\nthree\nfour    end");
}

TEST(DisplayWidthTest, WideAndCombiningCharacters) {
  EXPECT_EQ(DisplayWidth("abc"), 3u);
  EXPECT_EQ(DisplayWidth("日本語"), 6u);
  EXPECT_EQ(DisplayWidth("e\u0301"), 1u);  // e + combining acute
  EXPECT_EQ(DisplayWidth(""), 0u);
}

TEST(TruncateTest, FitsTheWidthWithAnEllipsis) {
  EXPECT_EQ(Truncate("short", 10), "short");
  EXPECT_EQ(Truncate("exactly10!", 10), "exactly10!");
  EXPECT_EQ(Truncate("a longer sentence", 8), "a longe\u2026");
  EXPECT_EQ(DisplayWidth(Truncate("a longer sentence", 8)), 8u);
  // A wide character that would straddle the edge is left out whole.
  EXPECT_EQ(Truncate("日本語テキスト", 6), "日本\u2026");
  EXPECT_EQ(Truncate("anything", 0), "");
  EXPECT_EQ(Truncate("anything", 1), "\u2026");
}

}  // namespace
}  // namespace comments::cli
