// Prometheus' text exposition format as tests read it: every sample by its
// series, "name{label="value",...}" with the labels in name order, as
// prometheus-cpp writes them.
#ifndef COMMENTS_TESTS_SUPPORT_METRICS_TEXT_H_
#define COMMENTS_TESTS_SUPPORT_METRICS_TEXT_H_

#include <map>
#include <optional>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"

namespace comments::testing {

// Each sample line's value by its series; comments and blank lines skipped.
inline std::map<std::string, double> ParseMetricsText(absl::string_view text) {
  std::map<std::string, double> samples;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    if (line.empty() || line.front() == '#') continue;
    // Label values hold no space in what the service exports.
    const size_t space = line.rfind(' ');
    double value = 0;
    if (space == absl::string_view::npos ||
        !absl::SimpleAtod(line.substr(space + 1), &value)) {
      continue;
    }
    samples[std::string(line.substr(0, space))] = value;
  }
  return samples;
}

// The series `name` with `labels`, spelt as in the text format.
inline std::string Series(absl::string_view name,
                          const std::map<std::string, std::string>& labels) {
  if (labels.empty()) return std::string(name);
  std::string series = absl::StrCat(name, "{");
  bool first = true;
  for (const auto& [key, value] : labels) {
    absl::StrAppend(&series, first ? "" : ",", key, "=\"", value, "\"");
    first = false;
  }
  return absl::StrCat(series, "}");
}

// The value of a series; nullopt when the scrape has no such series.
inline std::optional<double> SampleValue(
    const std::map<std::string, double>& samples, absl::string_view name,
    const std::map<std::string, std::string>& labels = {}) {
  const auto found = samples.find(Series(name, labels));
  if (found == samples.end()) return std::nullopt;
  return found->second;
}

}  // namespace comments::testing

#endif  // COMMENTS_TESTS_SUPPORT_METRICS_TEXT_H_
