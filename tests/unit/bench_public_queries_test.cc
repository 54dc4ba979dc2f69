// bench/public_queries.sql spells out, for the benchmark's EXPLAIN, the
// public reads of service/storage/comment_sql.h with their parameters
// filled in. This holds the copy to the statements: every piece of each
// statement between its $n parameters must appear in the file, spacing
// aside, so a change to a query that is not made in the file fails here.
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "service/storage/comment_sql.h"
#include "tests/support/file_text.h"

namespace comments::storage {
namespace {

using comments::testing::ReadFile;

// Runs of spaces and newlines as one space; psql's \' as '.
std::string Collapsed(std::string text) {
  text = absl::StrReplaceAll(text, {{"\\'", "'"}});
  return absl::StrJoin(
      absl::StrSplit(text, absl::ByAnyChar(" \n\t"), absl::SkipEmpty()), " ");
}

// The statement's text between its $n parameters.
std::vector<std::string> PiecesBetweenParameters(const std::string& sql) {
  std::vector<std::string> pieces(1);
  for (size_t i = 0; i < sql.size(); ++i) {
    if (sql[i] == '$' && i + 1 < sql.size() &&
        absl::ascii_isdigit(sql[i + 1])) {
      while (i + 1 < sql.size() && absl::ascii_isdigit(sql[i + 1])) ++i;
      pieces.emplace_back();
    } else {
      pieces.back() += sql[i];
    }
  }
  return pieces;
}

TEST(BenchPublicQueriesTest, TheFileRunsTheServicesPublicReads) {
  const std::string file =
      Collapsed(ReadFile(COMMENTS_BENCH_PUBLIC_QUERIES_PATH));
  for (const Statement& statement :
       {sql::kListApproved, sql::kCountApproved, sql::kSelectComment}) {
    for (const std::string& piece : PiecesBetweenParameters(statement.sql)) {
      const std::string expected = Collapsed(piece);
      if (expected.empty()) continue;
      EXPECT_NE(file.find(expected), std::string::npos)
          << statement.name << ": bench/public_queries.sql lacks \"" << expected
          << "\"";
    }
  }
}

}  // namespace
}  // namespace comments::storage
