// The whole text of a file of the source tree that a test checks against
// (docs, examples, benchmark scripts); a missing file fails the test.
#ifndef COMMENTS_TESTS_SUPPORT_FILE_TEXT_H_
#define COMMENTS_TESTS_SUPPORT_FILE_TEXT_H_

#include <fstream>
#include <sstream>
#include <string>

#include "gtest/gtest.h"

namespace comments::testing {

inline std::string ReadFile(const std::string& path) {
  std::ifstream file(path);
  EXPECT_TRUE(file) << path;
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

}  // namespace comments::testing

#endif  // COMMENTS_TESTS_SUPPORT_FILE_TEXT_H_
