// The comment form's validation (service/domain/validation.h) on arbitrary
// fields. The input is the fields one per line, in the order parent,
// author_name, author_email, author_url, reply_to, request_id; the rest of
// the input, newlines included, is the body. Missing lines are empty fields.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "service/domain/validation.h"
#include "tests/fuzz/validation_invariants.h"

namespace {

// The next line of `rest` (without its '\n'), removed from `rest`.
std::string TakeLine(std::string_view& rest) {
  const size_t end = rest.find('\n');
  std::string line(rest.substr(0, end));
  rest.remove_prefix(end == std::string_view::npos ? rest.size() : end + 1);
  return line;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view rest(reinterpret_cast<const char*>(data), size);
  comments::domain::CreateCommentInput input;
  input.parent = TakeLine(rest);
  input.author_name = TakeLine(rest);
  input.author_email = TakeLine(rest);
  input.author_url = TakeLine(rest);
  input.reply_to = TakeLine(rest);
  input.request_id = TakeLine(rest);
  input.body = std::string(rest);
  comments::fuzz::CheckValidation(input, comments::fuzz::DefaultLimits());
  comments::fuzz::CheckValidation(input, comments::fuzz::TightLimits());
  return 0;
}
