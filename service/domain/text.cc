#include "service/domain/text.h"

#include <algorithm>
#include <climits>
#include <cstddef>
#include <cstdint>

#include "service/domain/unicode_form.h"
#include "unicode/uchar.h"
#include "unicode/utf8.h"
#include "unicode/utypes.h"

namespace comments::domain {
namespace {

// No UTF-8 sequence is longer than this.
constexpr size_t kMaxSequenceBytes = 4;

// Decodes the code point at *pos and advances past it; a negative result
// marks an ill-formed sequence, which is skipped. ICU's macros take int32_t
// offsets, so each call sees a window of at most one sequence: that keeps the
// iteration correct for inputs of any size.
UChar32 NextCodePoint(std::string_view text, size_t* pos) {
  const auto* bytes = reinterpret_cast<const uint8_t*>(text.data() + *pos);
  const int32_t window =
      static_cast<int32_t>(std::min(text.size() - *pos, kMaxSequenceBytes));
  int32_t offset = 0;
  UChar32 c;
  U8_NEXT(bytes, offset, window, c);
  *pos += static_cast<size_t>(offset);
  return c;
}

// True when some well-formed code point of `text` satisfies `test`;
// ill-formed sequences are skipped.
template <typename Test>
bool AnyCodePoint(std::string_view text, Test test) {
  size_t pos = 0;
  while (pos < text.size()) {
    const UChar32 c = NextCodePoint(text, &pos);
    if (c >= 0 && test(c)) return true;
  }
  return false;
}

// Assigned, not default-ignorable, yet drawn as nothing: fonts render it as
// an empty cell, so a name made of it looks blank.
constexpr UChar32 kBraillePatternBlank = 0x2800;
constexpr UChar32 kReplacementChar = 0xFFFD;

bool IsVisible(UChar32 c) {
  if (c == kBraillePatternBlank || u_isUWhiteSpace(c) ||
      u_hasBinaryProperty(c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT)) {
    return false;
  }
  switch (u_charType(c)) {
    case U_CONTROL_CHAR:
    case U_FORMAT_CHAR:
    case U_SPACE_SEPARATOR:
    case U_LINE_SEPARATOR:
    case U_PARAGRAPH_SEPARATOR:
    case U_NON_SPACING_MARK:
    case U_ENCLOSING_MARK:
    case U_PRIVATE_USE_CHAR:
    case U_SURROGATE:
    case U_UNASSIGNED:
      return false;
    default:
      return true;
  }
}

bool IsLineOrParagraphSeparator(UChar32 c) {
  const int8_t type = u_charType(c);
  return type == U_LINE_SEPARATOR || type == U_PARAGRAPH_SEPARATOR;
}

bool IsControlExceptLineBreak(UChar32 c) {
  if (c == '\t' || c == '\n' || c == '\r') return false;
  return u_charType(c) == U_CONTROL_CHAR;
}

}  // namespace

bool IsValidUtf8(std::string_view text) {
  size_t pos = 0;
  while (pos < text.size()) {
    if (NextCodePoint(text, &pos) < 0) return false;
  }
  return true;
}

std::string_view TrimWhitespace(std::string_view text) {
  // One forward pass: backward decoding would need the same windowing and
  // buys nothing for strings of form-field size.
  size_t begin = text.size();
  size_t end = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t start = pos;
    const UChar32 c = NextCodePoint(text, &pos);
    if (c >= 0 && u_isUWhiteSpace(c)) continue;
    if (begin == text.size()) begin = start;
    end = pos;
  }
  if (begin >= end) return text.substr(text.size());
  return text.substr(begin, end - begin);
}

int CountCodePoints(std::string_view text) {
  int count = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    NextCodePoint(text, &pos);
    if (count == INT_MAX) return count;
    ++count;
  }
  return count;
}

std::string ToNfc(std::string_view text) {
  return ToUnicodeForm(text, UnicodeForm::kNfc);
}

bool HasControlOrFormatChars(std::string_view text) {
  return AnyCodePoint(text, [](UChar32 c) {
    const int8_t type = u_charType(c);
    return type == U_CONTROL_CHAR || type == U_FORMAT_CHAR;
  });
}

bool HasControlCharsExceptLineBreaks(std::string_view text) {
  return AnyCodePoint(text, IsControlExceptLineBreak);
}

bool HasControlOrWhitespaceChars(std::string_view text) {
  return AnyCodePoint(text, [](UChar32 c) {
    return u_isUWhiteSpace(c) || u_charType(c) == U_CONTROL_CHAR;
  });
}

bool HasVisibleChar(std::string_view text) {
  return AnyCodePoint(text, IsVisible);
}

bool HasLineOrParagraphSeparator(std::string_view text) {
  return AnyCodePoint(text, IsLineOrParagraphSeparator);
}

std::string SanitizeHeaderText(std::string_view raw, size_t max_bytes) {
  std::string out;
  size_t pos = 0;
  while (pos < raw.size()) {
    UChar32 c = NextCodePoint(raw, &pos);
    if (c < 0) {
      c = kReplacementChar;
    } else {
      const int8_t type = u_charType(c);
      if (type == U_CONTROL_CHAR || type == U_FORMAT_CHAR ||
          IsLineOrParagraphSeparator(c)) {
        continue;
      }
    }
    char bytes[kMaxSequenceBytes];
    int32_t length = 0;
    UBool unencodable = false;
    U8_APPEND(bytes, length, static_cast<int32_t>(kMaxSequenceBytes), c,
              unencodable);
    if (unencodable) continue;  // cannot happen for a decoded code point
    // Stopping at the first character that does not fit keeps the cut on a
    // character boundary.
    if (out.size() + static_cast<size_t>(length) > max_bytes) break;
    out.append(bytes, static_cast<size_t>(length));
  }
  return out;
}

}  // namespace comments::domain
