#include "client/cli/display_text.h"

#include <cstdint>

#include "absl/strings/str_format.h"
#include "unicode/uchar.h"
#include "unicode/utf8.h"

namespace comments::cli {
namespace {

constexpr UChar32 kReplacement = 0xFFFD;
constexpr char kEllipsis[] = "\u2026";

void AppendUtf8(UChar32 c, std::string& out) {
  char buffer[U8_MAX_LENGTH];
  int32_t length = 0;
  UBool error = false;
  U8_APPEND(buffer, length, U8_MAX_LENGTH, c, error);
  if (!error) out.append(buffer, static_cast<size_t>(length));
}

bool IsLineBreak(UChar32 c) {
  return c == '\n' || c == '\r' || c == 0x0B || c == 0x0C || c == 0x85 ||
         c == 0x2028 || c == 0x2029;
}

int Columns(UChar32 c) {
  const int8_t type = u_charType(c);
  if (type == U_NON_SPACING_MARK || type == U_ENCLOSING_MARK) return 0;
  const int width = u_getIntPropertyValue(c, UCHAR_EAST_ASIAN_WIDTH);
  return width == U_EA_WIDE || width == U_EA_FULLWIDTH ? 2 : 1;
}

}  // namespace

std::string Printable(std::string_view text, bool multiline) {
  std::string out;
  out.reserve(text.size());
  const auto* bytes = reinterpret_cast<const uint8_t*>(text.data());
  const int32_t length = static_cast<int32_t>(text.size());
  for (int32_t i = 0; i < length;) {
    UChar32 c;
    U8_NEXT(bytes, i, length, c);
    if (c < 0) {
      AppendUtf8(kReplacement, out);
    } else if (c == '\r' && multiline) {
      // "\r\n" is one break; a lone "\r" would move the cursor back over
      // what was printed, so it becomes a break too.
      if (i < length && bytes[i] == '\n') continue;
      out.push_back('\n');
    } else if (IsLineBreak(c)) {
      out.push_back(multiline ? '\n' : ' ');
    } else if (c == '\t') {
      out.append(multiline ? "    " : " ");
    } else if (c < 0x20 || c == 0x7F) {
      out.push_back('^');
      out.push_back(c == 0x7F ? '?' : static_cast<char>(c + 0x40));
    } else if (u_charType(c) == U_CONTROL_CHAR ||
               u_charType(c) == U_FORMAT_CHAR ||
               u_charType(c) == U_UNASSIGNED ||
               u_charType(c) == U_PRIVATE_USE_CHAR ||
               u_charType(c) == U_SURROGATE) {
      absl::StrAppendFormat(&out, "<U+%04X>", c);
    } else {
      AppendUtf8(c, out);
    }
  }
  return out;
}

size_t DisplayWidth(std::string_view printable) {
  size_t width = 0;
  const auto* bytes = reinterpret_cast<const uint8_t*>(printable.data());
  const int32_t length = static_cast<int32_t>(printable.size());
  for (int32_t i = 0; i < length;) {
    UChar32 c;
    U8_NEXT(bytes, i, length, c);
    width += c < 0 ? 1 : static_cast<size_t>(Columns(c));
  }
  return width;
}

std::string Truncate(std::string_view printable, size_t width) {
  if (DisplayWidth(printable) <= width) return std::string(printable);
  if (width == 0) return "";
  // Room for the ellipsis, which takes one column.
  const size_t budget = width - 1;
  size_t used = 0;
  const auto* bytes = reinterpret_cast<const uint8_t*>(printable.data());
  const int32_t length = static_cast<int32_t>(printable.size());
  int32_t end = 0;
  for (int32_t i = 0; i < length;) {
    UChar32 c;
    U8_NEXT(bytes, i, length, c);
    const size_t columns = c < 0 ? 1 : static_cast<size_t>(Columns(c));
    if (used + columns > budget) break;
    used += columns;
    end = i;
  }
  std::string out(printable.substr(0, static_cast<size_t>(end)));
  out.append(kEllipsis);
  return out;
}

}  // namespace comments::cli
