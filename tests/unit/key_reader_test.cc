// KeyReader on a pipe: one key per line, as scripts and tests drive review.
#include "client/cli/key_reader.h"

#include <fcntl.h>
#include <stdlib.h>
#include <termios.h>
#include <unistd.h>

#include <string>

#include "gtest/gtest.h"

namespace comments::cli {
namespace {

class PipeKeys : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_EQ(pipe(fds_), 0); }
  void TearDown() override {
    close(fds_[0]);
    if (fds_[1] >= 0) close(fds_[1]);
  }
  void Feed(const std::string& text) {
    ASSERT_EQ(write(fds_[1], text.data(), text.size()),
              static_cast<ssize_t>(text.size()));
    close(fds_[1]);
    fds_[1] = -1;
  }
  int fds_[2] = {-1, -1};
};

TEST_F(PipeKeys, FirstNonBlankCharacterOfEachLine) {
  Feed("a\n\n   R\nspam\n\t n \nq");
  KeyReader keys(fds_[0]);
  EXPECT_FALSE(keys.is_terminal());
  EXPECT_EQ(keys.NextKey(), 'a');
  EXPECT_EQ(keys.NextKey(), 'r');  // lower-cased; blank lines skipped
  EXPECT_EQ(keys.NextKey(), 's');
  EXPECT_EQ(keys.NextKey(), 'n');
  EXPECT_EQ(keys.NextKey(), 'q');  // the last line needs no newline
  EXPECT_EQ(keys.NextKey(), std::nullopt);
}

TEST_F(PipeKeys, ControlKeysQuit) {
  Feed("\x03\n\x04\n");
  KeyReader keys(fds_[0]);
  EXPECT_EQ(keys.NextKey(), 'q');
  EXPECT_EQ(keys.NextKey(), 'q');
  EXPECT_EQ(keys.NextKey(), std::nullopt);
}

TEST_F(PipeKeys, NothingPastTheLineIsConsumed) {
  Feed("a\nrest of input\n");
  {
    KeyReader keys(fds_[0]);
    EXPECT_EQ(keys.NextKey(), 'a');
  }
  char buffer[32] = {};
  EXPECT_EQ(read(fds_[0], buffer, sizeof(buffer)), 14);
  EXPECT_EQ(std::string(buffer), "rest of input\n");
}

// A pseudo-terminal stands in for the moderator's terminal.
TEST(TerminalKeys, SingleKeysWithoutEnterAndTheTerminalRestored) {
  const int master = posix_openpt(O_RDWR | O_NOCTTY);
  ASSERT_GE(master, 0);
  ASSERT_EQ(grantpt(master), 0);
  ASSERT_EQ(unlockpt(master), 0);
  const int terminal = open(ptsname(master), O_RDWR | O_NOCTTY);
  ASSERT_GE(terminal, 0);
  termios before{};
  ASSERT_EQ(tcgetattr(terminal, &before), 0);
  ASSERT_NE(before.c_lflag & ICANON, 0u);
  {
    KeyReader keys(terminal);
    EXPECT_TRUE(keys.is_terminal());
    termios raw{};
    ASSERT_EQ(tcgetattr(terminal, &raw), 0);
    EXPECT_EQ(raw.c_lflag & (ICANON | ECHO | ISIG), 0u);
    // No newline: in raw mode each key press is read at once.
    ASSERT_EQ(write(master, "A", 1), 1);
    EXPECT_EQ(keys.NextKey(), 'a');
    ASSERT_EQ(write(master, "\x03", 1), 1);  // Ctrl-C
    EXPECT_EQ(keys.NextKey(), 'q');
  }
  termios after{};
  ASSERT_EQ(tcgetattr(terminal, &after), 0);
  EXPECT_EQ(after.c_lflag, before.c_lflag);
  close(terminal);
  close(master);
}

}  // namespace
}  // namespace comments::cli
