// Text from comments made safe for a moderator's terminal, and measured in
// terminal columns for aligned tables.
//
// A comment is untrusted input: an escape sequence could drive the terminal
// and a bidi override or zero-width character could hide or reorder what the
// moderator reads. So control characters are shown in caret notation (^[),
// invisible format characters as <U+202E>, and invalid UTF-8 as U+FFFD.
#ifndef COMMENTS_CLIENT_CLI_DISPLAY_TEXT_H_
#define COMMENTS_CLIENT_CLI_DISPLAY_TEXT_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace comments::cli {

// `text` made printable. With `multiline`, line breaks are kept (as '\n')
// and tabs become spaces; without, every line break and tab becomes one
// space, so the result fits one table cell.
std::string Printable(std::string_view text, bool multiline = false);

// Terminal columns of printable text: wide (East Asian) characters count 2,
// combining marks 0.
size_t DisplayWidth(std::string_view printable);

// The longest prefix of printable text that fits `width` columns, ending in
// "…" when something was cut.
std::string Truncate(std::string_view printable, size_t width);

}  // namespace comments::cli

#endif  // COMMENTS_CLIENT_CLI_DISPLAY_TEXT_H_
