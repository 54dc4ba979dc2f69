// Word lists and the folded forms behind them: whole words only, case and
// Unicode presentation ignored.
#include "service/domain/word_list.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "service/domain/text_fold.h"

namespace comments::domain {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

bool Listed(const std::vector<std::string>& entries, const std::string& text) {
  absl::StatusOr<WordList> list = WordList::Create(entries);
  EXPECT_TRUE(list.ok()) << list.status();
  return list.ok() && list->FoundIn(FoldedWords(text));
}

TEST(FoldedWordsTest, SplitsOnWordBoundariesAndDropsPunctuation) {
  EXPECT_THAT(FoldedWords("Hello, World! It's 2024..."),
              ElementsAre("hello", "world", "it's", "2024"));
  EXPECT_THAT(FoldedWords("  \t\n"), ElementsAre());
  EXPECT_THAT(FoldedWords("виагра-ДЁШЕВО"), ElementsAre("виагра", "дёшево"));
}

TEST(FoldedWordsTest, FoldsCaseCompatibilityFormsAndInvisibleCharacters) {
  // Full-width letters, German sharp s, a soft hyphen and a zero-width
  // space inside the word.
  EXPECT_THAT(FoldedWords("ＳＰＡＭ"), ElementsAre("spam"));
  EXPECT_THAT(FoldedWords("STRASSE straße"), ElementsAre("strasse", "strasse"));
  EXPECT_THAT(FoldedWords("sp\u00ADam sp\u200Bam"),
              ElementsAre("spam", "spam"));
}

TEST(WordListTest, MatchesWholeWordsInAnyCase) {
  EXPECT_TRUE(Listed({"spam"}, "This is SPAM."));
  EXPECT_TRUE(Listed({"spam"}, "Spam"));
  EXPECT_TRUE(Listed({"spam"}, "(spam)"));
  EXPECT_TRUE(Listed({"spam"}, "buy-spam-now"));
}

TEST(WordListTest, DoesNotMatchAWordInsideAnotherWord) {
  EXPECT_FALSE(Listed({"spam"}, "I am a spammer."));
  EXPECT_FALSE(Listed({"spam"}, "antispam filters"));
  EXPECT_FALSE(Listed({"ass"}, "a classic class assignment"));
  EXPECT_FALSE(Listed({"spam"}, "s p a m"));
}

TEST(WordListTest, MatchesUnicodeVariants) {
  EXPECT_TRUE(Listed({"spam"}, "ＳＰＡＭ here"));
  EXPECT_TRUE(Listed({"straße"}, "DIE STRASSE"));
  EXPECT_TRUE(Listed({"ÉVÉNEMENT"}, "un événement"));
  // The same letter composed and decomposed (e + combining acute).
  EXPECT_TRUE(Listed({"caf\u00E9"}, "cafe\u0301 noir"));
  EXPECT_TRUE(Listed({"casino"}, "cas\u00ADino online"));
  EXPECT_FALSE(Listed({"café"}, "cafe"));
}

TEST(WordListTest, MatchesPhrasesAsConsecutiveWords) {
  EXPECT_TRUE(Listed({"buy now"}, "Please BUY   now!"));
  EXPECT_TRUE(Listed({"buy now"}, "buy, now"));
  EXPECT_FALSE(Listed({"buy now"}, "buy it now"));
  EXPECT_FALSE(Listed({"buy now"}, "buy"));
  EXPECT_TRUE(Listed({"buy now", "now or never"}, "now or never"));
}

TEST(WordListTest, EmptyListMatchesNothing) {
  WordList list;
  EXPECT_TRUE(list.empty());
  EXPECT_FALSE(list.FoundIn(FoldedWords("anything at all")));
}

TEST(WordListTest, RejectsEntriesWithoutAWordNamingTheIndex) {
  absl::StatusOr<WordList> list = WordList::Create({"ok", "  ", "fine"});
  ASSERT_EQ(list.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(list.status().message()), HasSubstr("[1]"));
  EXPECT_EQ(WordList::Create({"!!!"}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(WordList::Create({"bad \xff utf8"}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(WordList::Create({"a", "b"})->size(), 2);
}

TEST(WordListTest, AddSaysWhatIsWrongAndKeepsTheList) {
  WordList list;
  EXPECT_TRUE(list.Add("casino").ok());
  absl::Status no_word = list.Add(" ... ");
  EXPECT_EQ(no_word.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(no_word.message(), "must contain a word");
  EXPECT_EQ(list.Add("bad \xff utf8").message(), "must be valid UTF-8");
  EXPECT_EQ(list.size(), 1);
  EXPECT_TRUE(list.FoundIn(FoldedWords("Casino!")));
}

TEST(DuplicateFormTest, IgnoresCaseAndSpacing) {
  EXPECT_EQ(DuplicateForm("  Great   POST!\n\nThanks "), "great post! thanks");
  EXPECT_EQ(DuplicateForm("Great post! Thanks"),
            DuplicateForm("great\tpost!  thanks"));
  EXPECT_NE(DuplicateForm("Great post"), DuplicateForm("Great post!"));
  EXPECT_EQ(DuplicateForm("ＳＰＡＭ"), DuplicateForm("spam"));
}

}  // namespace
}  // namespace comments::domain
