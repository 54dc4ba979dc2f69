// Unicode helpers over UTF-8 strings (ICU underneath).
#ifndef COMMENTS_SERVICE_DOMAIN_TEXT_H_
#define COMMENTS_SERVICE_DOMAIN_TEXT_H_

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

}  // namespace comments::domain

#endif  // COMMENTS_SERVICE_DOMAIN_TEXT_H_
