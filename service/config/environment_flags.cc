#include "service/config/environment_flags.h"

#include <algorithm>
#include <cstdlib>
#include <vector>

#include "absl/flags/commandlineflag.h"
#include "absl/flags/reflection.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace comments::config {

std::string EnvironmentVariableFor(std::string_view prefix,
                                   std::string_view flag_name) {
  std::string variable(prefix);
  for (char c : flag_name) variable += absl::ascii_toupper(c);
  return variable;
}

absl::Status ApplyEnvironmentToFlags(std::string_view prefix,
                                     std::string_view defining_file) {
  std::vector<absl::CommandLineFlag*> flags;
  for (const auto& entry : absl::GetAllFlags()) {
    absl::CommandLineFlag* flag = entry.second;
    // Abseil reports a normalised file name (leading slashes stripped), so
    // it is the tail of what __FILE__ gave.
    const std::string file = flag->Filename();
    if (!file.empty() && absl::EndsWith(absl::string_view(defining_file.data(),
                                                          defining_file.size()),
                                        file)) {
      flags.push_back(flag);
    }
  }
  // A stable order, so the first bad variable reported is always the same.
  std::sort(flags.begin(), flags.end(),
            [](const absl::CommandLineFlag* a, const absl::CommandLineFlag* b) {
              return a->Name() < b->Name();
            });
  for (absl::CommandLineFlag* flag : flags) {
    const std::string name(flag->Name());
    const std::string variable = EnvironmentVariableFor(prefix, name);
    const char* value = std::getenv(variable.c_str());
    if (value == nullptr) continue;
    std::string error;
    if (!flag->ParseFrom(value, &error)) {
      // The parser's error repeats the value, so it is left out.
      return absl::InvalidArgumentError(
          absl::StrCat(variable, ": not a valid value for --", name));
    }
  }
  return absl::OkStatus();
}

}  // namespace comments::config
