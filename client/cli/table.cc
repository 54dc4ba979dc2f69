#include "client/cli/table.h"

#include <algorithm>
#include <limits>
#include <utility>

#include "client/cli/display_text.h"

namespace comments::cli {

Table::Table(std::vector<std::string> headers)
    : headers_(std::move(headers)),
      max_widths_(headers_.size(), std::numeric_limits<size_t>::max()) {}

void Table::AddRow(std::vector<std::string> cells) {
  cells.resize(headers_.size());
  for (std::string& cell : cells) cell = Printable(cell);
  rows_.push_back(std::move(cells));
}

void Table::SetMaxWidth(size_t column, size_t width) {
  if (column < max_widths_.size()) max_widths_[column] = width;
}

void Table::Print(std::ostream& out) const {
  const size_t columns = headers_.size();
  std::vector<std::vector<std::string>> lines;
  lines.reserve(rows_.size() + 1);
  lines.push_back(headers_);
  for (const auto& row : rows_) {
    std::vector<std::string> line;
    line.reserve(columns);
    for (size_t i = 0; i < columns; ++i) {
      line.push_back(Truncate(row[i], max_widths_[i]));
    }
    lines.push_back(std::move(line));
  }
  std::vector<size_t> widths(columns, 0);
  for (const auto& line : lines) {
    for (size_t i = 0; i < columns; ++i) {
      widths[i] = std::max(widths[i], DisplayWidth(line[i]));
    }
  }
  for (const auto& line : lines) {
    std::string text;
    for (size_t i = 0; i < columns; ++i) {
      if (i > 0) text.append("  ");
      text.append(line[i]);
      if (i + 1 < columns) {
        text.append(widths[i] - DisplayWidth(line[i]), ' ');
      }
    }
    while (!text.empty() && text.back() == ' ') text.pop_back();
    out << text << '\n';
  }
}

}  // namespace comments::cli
