#include "service/startup/flag_checks.h"

#include "absl/strings/str_cat.h"

namespace comments::startup {

absl::Status CheckMinimums(std::initializer_list<FlagMinimum> flags) {
  for (const FlagMinimum& flag : flags) {
    if (flag.value < flag.minimum) {
      const absl::string_view name(flag.flag.data(), flag.flag.size());
      return absl::InvalidArgumentError(
          absl::StrCat("bad --", name, "=", flag.value, ": --", name,
                       " must be ", flag.minimum, " or more"));
    }
  }
  return absl::OkStatus();
}

}  // namespace comments::startup
