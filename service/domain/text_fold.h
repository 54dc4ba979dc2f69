// Unicode-aware comparison forms of text (ICU underneath): what makes
// "SPAM", "ｓｐａｍ" and "Spam" the same word, and two bodies differing only
// in case or spacing the same comment.
#ifndef COMMENTS_SERVICE_DOMAIN_TEXT_FOLD_H_
#define COMMENTS_SERVICE_DOMAIN_TEXT_FOLD_H_

#include <string>
#include <string_view>
#include <vector>

namespace comments::domain {

// The Unicode NFKC_Casefold form: compatibility-normalised (full-width and
// styled letters become plain ones), case-folded (so "ß" and "SS" agree) and
// without default-ignorable characters (soft hyphens, zero-width spaces), so
// invisible characters cannot split a word. Requires valid UTF-8.
std::string FoldText(std::string_view text);

// The words of `text` in folded form, in order: Unicode word boundaries
// (UAX #29, dictionary-based for scripts without spaces), keeping segments
// that are letters, numbers, kana or ideographs and dropping spaces and
// punctuation. Requires valid UTF-8.
std::vector<std::string> FoldedWords(std::string_view text);

// The form in which two comment bodies count as the same comment: folded,
// every run of white space made one space, trimmed. Requires valid UTF-8.
std::string DuplicateForm(std::string_view body);

}  // namespace comments::domain

#endif  // COMMENTS_SERVICE_DOMAIN_TEXT_FOLD_H_
