#include "service/domain/text_fold.h"

#include <algorithm>
#include <climits>
#include <cstdint>
#include <memory>
#include <utility>

#include "service/domain/unicode_form.h"
#include "unicode/brkiter.h"
#include "unicode/locid.h"
#include "unicode/stringpiece.h"
#include "unicode/uchar.h"
#include "unicode/unistr.h"
#include "unicode/utf8.h"

namespace comments::domain {
namespace {

// Creating a word break iterator loads its rules; cloning a prototype is
// much cheaper, and clone() on a const iterator is thread-safe.
const icu::BreakIterator* WordBreakPrototype() {
  static const icu::BreakIterator* const prototype = [] {
    UErrorCode status = U_ZERO_ERROR;
    icu::BreakIterator* iterator =
        icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), status);
    if (U_FAILURE(status)) {
      delete iterator;
      return static_cast<icu::BreakIterator*>(nullptr);
    }
    return iterator;
  }();
  return prototype;
}

}  // namespace

std::string FoldText(std::string_view text) {
  return ToUnicodeForm(text, UnicodeForm::kNfkcCasefold);
}

std::vector<std::string> FoldedWords(std::string_view text) {
  std::vector<std::string> words;
  const std::string folded = FoldText(text);
  const icu::BreakIterator* prototype = WordBreakPrototype();
  if (prototype == nullptr || folded.size() > static_cast<size_t>(INT32_MAX)) {
    return words;
  }
  const icu::UnicodeString unicode = icu::UnicodeString::fromUTF8(
      icu::StringPiece(folded.data(), static_cast<int32_t>(folded.size())));
  std::unique_ptr<icu::BreakIterator> iterator(prototype->clone());
  iterator->setText(unicode);
  int32_t start = iterator->first();
  for (int32_t end = iterator->next(); end != icu::BreakIterator::DONE;
       start = end, end = iterator->next()) {
    // The status of the segment that ends at `end`: UBRK_WORD_NONE and
    // below are spaces and punctuation.
    if (iterator->getRuleStatus() < UBRK_WORD_NONE_LIMIT) continue;
    std::string word;
    unicode.tempSubStringBetween(start, end).toUTF8String(word);
    words.push_back(std::move(word));
  }
  return words;
}

std::string DuplicateForm(std::string_view body) {
  const std::string folded = FoldText(body);
  std::string result;
  result.reserve(folded.size());
  bool pending_space = false;
  size_t pos = 0;
  while (pos < folded.size()) {
    const size_t start = pos;
    // One sequence at a time keeps ICU's int32_t offsets small.
    const auto* bytes = reinterpret_cast<const uint8_t*>(folded.data() + pos);
    const int32_t window =
        static_cast<int32_t>(std::min<size_t>(folded.size() - pos, 4));
    int32_t offset = 0;
    UChar32 c;
    U8_NEXT(bytes, offset, window, c);
    pos += static_cast<size_t>(offset);
    if (c >= 0 && u_isUWhiteSpace(c)) {
      pending_space = !result.empty();
      continue;
    }
    if (pending_space) result.push_back(' ');
    pending_space = false;
    result.append(folded, start, pos - start);
  }
  return result;
}

}  // namespace comments::domain
