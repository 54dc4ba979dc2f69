// Aligned text tables for commentctl's human-readable output.
#ifndef COMMENTS_CLIENT_CLI_TABLE_H_
#define COMMENTS_CLIENT_CLI_TABLE_H_

#include <cstddef>
#include <ostream>
#include <string>
#include <vector>

namespace comments::cli {

class Table {
 public:
  explicit Table(std::vector<std::string> headers);

  // Cells are made printable on one line (display_text.h); missing cells are
  // empty, extra ones dropped.
  void AddRow(std::vector<std::string> cells);
  // Cells of `column` wider than `width` columns are truncated with "…".
  void SetMaxWidth(size_t column, size_t width);

  bool empty() const { return rows_.empty(); }

  // Header and rows, columns separated by two spaces; the last column is not
  // padded, so lines carry no trailing blanks.
  void Print(std::ostream& out) const;

 private:
  std::vector<std::string> headers_;
  std::vector<size_t> max_widths_;
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace comments::cli

#endif  // COMMENTS_CLIENT_CLI_TABLE_H_
