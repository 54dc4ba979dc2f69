#include "client/cli/table.h"

#include <sstream>

#include "gtest/gtest.h"

namespace comments::cli {
namespace {

TEST(TableTest, ColumnsAreAlignedWithoutTrailingBlanks) {
  Table table({"NAME", "STATE", "BODY"});
  table.AddRow({"threads/a/comments/1", "PENDING", "Hi"});
  table.AddRow({"threads/b/comments/22", "SPAM", ""});
  std::ostringstream out;
  table.Print(out);
  EXPECT_EQ(out.str(),
            "NAME                   STATE    BODY\n"
            "threads/a/comments/1   PENDING  Hi\n"
            "threads/b/comments/22  SPAM\n");
}

TEST(TableTest, WideCharactersAlignByColumnsNotBytes) {
  Table table({"AUTHOR", "X"});
  table.AddRow({"日本", "1"});
  table.AddRow({"abcd", "2"});
  std::ostringstream out;
  table.Print(out);
  EXPECT_EQ(out.str(),
            "AUTHOR  X\n"
            "日本    1\n"
            "abcd    2\n");
}

TEST(TableTest, CellsAreMadePrintableAndTruncated) {
  Table table({"BODY", "END"});
  table.SetMaxWidth(0, 10);
  table.AddRow({"line one\nline two is long", "|"});
  table.AddRow({"\x1b[2J", "|"});
  table.AddRow({"short"});  // a missing cell is empty
  std::ostringstream out;
  table.Print(out);
  EXPECT_EQ(out.str(),
            "BODY        END\n"
            "line one \u2026  |\n"
            "^[[2J       |\n"
            "short\n");
  EXPECT_FALSE(table.empty());
  EXPECT_TRUE(Table({"A"}).empty());
}

}  // namespace
}  // namespace comments::cli
