// Single keystrokes for `commentctl review`. On a terminal the keys are read
// raw (no Enter needed, no echo) and the terminal is restored afterwards,
// also when the process is stopped by SIGTERM or SIGHUP; Ctrl-C and Ctrl-D
// read as 'q'. When input is a pipe or a file, each line is one key (its
// first non-blank character), so scripts and tests can drive a review.
#ifndef COMMENTS_CLIENT_CLI_KEY_READER_H_
#define COMMENTS_CLIENT_CLI_KEY_READER_H_

#include <termios.h>

#include <optional>

namespace comments::cli {

class KeySource {
 public:
  virtual ~KeySource() = default;
  // The next key, lower-cased; nullopt at the end of input.
  virtual std::optional<char> NextKey() = 0;
};

class KeyReader : public KeySource {
 public:
  // Reads `fd`, which it does not own.
  explicit KeyReader(int fd);
  // Restores the terminal.
  ~KeyReader() override;

  KeyReader(const KeyReader&) = delete;
  KeyReader& operator=(const KeyReader&) = delete;

  std::optional<char> NextKey() override;

  bool is_terminal() const { return raw_; }

 private:
  std::optional<char> NextRawKey();
  std::optional<char> NextLineKey();

  int fd_;
  bool raw_ = false;
  termios saved_{};
};

}  // namespace comments::cli

#endif  // COMMENTS_CLIENT_CLI_KEY_READER_H_
