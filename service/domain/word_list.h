// A list of words or phrases that a site blocks or holds for review,
// matched as whole words, ignoring case and Unicode presentation
// (text_fold.h): "spam" matches "SPAM" and "ｓｐａｍ" but not "spammer".
#ifndef COMMENTS_SERVICE_DOMAIN_WORD_LIST_H_
#define COMMENTS_SERVICE_DOMAIN_WORD_LIST_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace comments::domain {

class WordList {
 public:
  // Each entry is a word or a phrase ("buy now" matches those two words in
  // sequence, whatever spacing or punctuation is between them). An entry
  // that is not valid UTF-8 or has no word in it is INVALID_ARGUMENT, and
  // the message starts with "[index]".
  static absl::StatusOr<WordList> Create(
      const std::vector<std::string>& entries);

  // Adds one entry. A bad one is INVALID_ARGUMENT saying what it must be
  // (no index: the caller knows where the entry came from) and leaves the
  // list as it was.
  absl::Status Add(std::string_view entry);

  // The empty list, which matches nothing.
  WordList() = default;

  bool empty() const { return phrases_by_first_word_.empty(); }
  int size() const { return size_; }

  // Whether an entry occurs in `words` (as FoldedWords returns them).
  bool FoundIn(const std::vector<std::string>& words) const;

 private:
  // Folded entries split into words, keyed by their first word, so a text
  // is scanned once whatever the size of the list.
  absl::flat_hash_map<std::string, std::vector<std::vector<std::string>>>
      phrases_by_first_word_;
  int size_ = 0;
};

}  // namespace comments::domain

#endif  // COMMENTS_SERVICE_DOMAIN_WORD_LIST_H_
