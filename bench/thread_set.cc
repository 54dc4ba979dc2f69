#include "bench/thread_set.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"

namespace comments::bench {

ThreadSet ThreadSet::Single(std::string thread) {
  return ThreadSet(std::move(thread), 1, /*numbered=*/false);
}

ThreadSet ThreadSet::Numbered(std::string prefix, int count) {
  return ThreadSet(std::move(prefix), std::max(count, 1), /*numbered=*/true);
}

std::string ThreadSet::Name(int i) const {
  return numbered_ ? absl::StrCat(prefix_, i) : prefix_;
}

std::string ThreadSet::Pick(std::mt19937_64& random) const {
  std::uniform_int_distribution<int> index(0, count_ - 1);
  return Name(index(random));
}

std::vector<std::string> ThreadSet::Sample(int n,
                                           std::mt19937_64& random) const {
  std::vector<std::string> names;
  names.reserve(n);
  if (n > count_) {
    for (int i = 0; i < n; ++i) names.push_back(Pick(random));
    return names;
  }
  // Draws again on a repeat: n is at most a hundred or so, so the check is
  // cheap and no per-call table of the whole set is needed.
  std::uniform_int_distribution<int> index(0, count_ - 1);
  std::vector<int> chosen;
  chosen.reserve(n);
  while (static_cast<int>(chosen.size()) < n) {
    const int candidate = index(random);
    if (std::find(chosen.begin(), chosen.end(), candidate) != chosen.end()) {
      continue;
    }
    chosen.push_back(candidate);
    names.push_back(Name(candidate));
  }
  return names;
}

}  // namespace comments::bench
