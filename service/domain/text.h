// Unicode helpers over UTF-8 strings (ICU underneath).
#ifndef COMMENTS_SERVICE_DOMAIN_TEXT_H_
#define COMMENTS_SERVICE_DOMAIN_TEXT_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace comments::domain {

// Well-formed UTF-8 (no overlongs, surrogates or code points past U+10FFFF).
bool IsValidUtf8(std::string_view text);

// Removes leading and trailing Unicode white space (White_Space property).
// Requires valid UTF-8.
std::string_view TrimWhitespace(std::string_view text);

// Number of code points. Requires valid UTF-8.
int CountCodePoints(std::string_view text);

// NFC normal form. Requires valid UTF-8.
std::string ToNfc(std::string_view text);

// True when the text has a control (Cc) or format (Cf) character: this
// covers bidi overrides and isolates (U+202A-202E, U+2066-2069), zero-width
// characters (U+200B-200D, U+2060, U+FEFF) and NUL. Requires valid UTF-8.
bool HasControlOrFormatChars(std::string_view text);

// True when the text has a C0/C1 control (or DEL) other than tab, line feed
// and carriage return (NUL included). Requires valid UTF-8.
bool HasControlCharsExceptLineBreaks(std::string_view text);

// True when the text has a control (Cc) or any Unicode white space
// character, anywhere. Requires valid UTF-8.
bool HasControlOrWhitespaceChars(std::string_view text);

// True when the text has a character a reader can see: one that is not white
// space, not default-ignorable (U+034F, U+115F, U+3164, variation
// selectors...), not a control, format, separator or unassigned code point,
// not a combining mark without a base, not private use, and not one of the
// few assigned characters that draw nothing (U+2800 BRAILLE PATTERN BLANK).
// Requires valid UTF-8.
bool HasVisibleChar(std::string_view text);

// True when the text has U+2028 LINE SEPARATOR or U+2029 PARAGRAPH
// SEPARATOR. Requires valid UTF-8.
bool HasLineOrParagraphSeparator(std::string_view text);

// Untrusted text from request metadata, made safe to store and show: every
// ill-formed sequence becomes U+FFFD, controls, format characters and line
// or paragraph separators are dropped, and the result is cut at a character
// boundary to at most `max_bytes` bytes. Any input is accepted.
std::string SanitizeHeaderText(std::string_view raw, size_t max_bytes);

}  // namespace comments::domain

#endif  // COMMENTS_SERVICE_DOMAIN_TEXT_H_
