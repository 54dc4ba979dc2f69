#include "service/domain/word_list.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "service/domain/text.h"
#include "service/domain/text_fold.h"

namespace comments::domain {

absl::StatusOr<WordList> WordList::Create(
    const std::vector<std::string>& entries) {
  WordList list;
  for (size_t i = 0; i < entries.size(); ++i) {
    if (absl::Status status = list.Add(entries[i]); !status.ok()) {
      return absl::Status(status.code(),
                          absl::StrCat("[", i, "] ", status.message()));
    }
  }
  return list;
}

absl::Status WordList::Add(std::string_view entry) {
  if (!IsValidUtf8(entry)) {
    return absl::InvalidArgumentError("must be valid UTF-8");
  }
  std::vector<std::string> words = FoldedWords(entry);
  if (words.empty()) return absl::InvalidArgumentError("must contain a word");
  std::string first = words.front();
  phrases_by_first_word_[first].push_back(std::move(words));
  ++size_;
  return absl::OkStatus();
}

bool WordList::FoundIn(const std::vector<std::string>& words) const {
  if (empty()) return false;
  for (size_t i = 0; i < words.size(); ++i) {
    auto it = phrases_by_first_word_.find(words[i]);
    if (it == phrases_by_first_word_.end()) continue;
    for (const std::vector<std::string>& phrase : it->second) {
      if (phrase.size() > words.size() - i) continue;
      bool match = true;
      for (size_t j = 1; j < phrase.size() && match; ++j) {
        match = phrase[j] == words[i + j];
      }
      if (match) return true;
    }
  }
  return false;
}

}  // namespace comments::domain
