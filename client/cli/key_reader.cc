#include "client/cli/key_reader.h"

#include <signal.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>

namespace comments::cli {
namespace {

// The terminal state to put back if a signal ends the process while raw mode
// is on. Signal handlers can reach only static storage; it is written before
// the handlers are installed and only read afterwards.
struct SavedTerminal {
  int fd = -1;
  termios state{};
};
SavedTerminal saved_terminal;

void RestoreAndReraise(int signal_number) {
  tcsetattr(saved_terminal.fd, TCSAFLUSH, &saved_terminal.state);
  ::signal(signal_number, SIG_DFL);
  ::raise(signal_number);
}

constexpr int kRestoreSignals[] = {SIGTERM, SIGHUP, SIGQUIT};

std::optional<char> Key(unsigned char c) {
  // Ctrl-C and Ctrl-D quit, as a user expects in raw mode too.
  if (c == 0x03 || c == 0x04) return 'q';
  return static_cast<char>(std::tolower(c));
}

}  // namespace

KeyReader::KeyReader(int fd) : fd_(fd) {
  if (!isatty(fd_) || tcgetattr(fd_, &saved_) != 0) return;
  termios raw = saved_;
  raw.c_lflag &= ~static_cast<tcflag_t>(ICANON | ECHO | ISIG);
  raw.c_cc[VMIN] = 1;
  raw.c_cc[VTIME] = 0;
  saved_terminal.fd = fd_;
  saved_terminal.state = saved_;
  for (int signal_number : kRestoreSignals) {
    struct sigaction action = {};
    action.sa_handler = RestoreAndReraise;
    sigemptyset(&action.sa_mask);
    sigaction(signal_number, &action, nullptr);
  }
  raw_ = tcsetattr(fd_, TCSAFLUSH, &raw) == 0;
}

KeyReader::~KeyReader() {
  if (!raw_) return;
  tcsetattr(fd_, TCSAFLUSH, &saved_);
  for (int signal_number : kRestoreSignals) ::signal(signal_number, SIG_DFL);
}

std::optional<char> KeyReader::NextKey() {
  return raw_ ? NextRawKey() : NextLineKey();
}

std::optional<char> KeyReader::NextRawKey() {
  unsigned char c = 0;
  while (true) {
    const ssize_t n = read(fd_, &c, 1);
    if (n == 1) return Key(c);
    if (n < 0 && errno == EINTR) continue;
    return std::nullopt;
  }
}

std::optional<char> KeyReader::NextLineKey() {
  // Byte by byte, so nothing past this line is consumed from a shared pipe.
  std::optional<char> key;
  while (true) {
    unsigned char c = 0;
    const ssize_t n = read(fd_, &c, 1);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return key;  // the last line may lack its newline
    if (c == '\n') {
      if (key.has_value()) return key;
      continue;  // a blank line is no answer; wait for the next
    }
    if (!key.has_value() && !std::isspace(c)) key = Key(c);
  }
}

}  // namespace comments::cli
