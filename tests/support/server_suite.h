// The fixture of black-box suites that share one real server for all their
// tests: a throwaway PostgreSQL with keys and rules (E2eEnvironment), and
// one comments_server on it, started before the first test and stopped
// after the last.
//
//   class FooE2eTest : public comments::testing::ServerSuite {
//    protected:
//     static void SetUpTestSuite() {
//       StartSuite(COMMENTS_SERVER_PATH, {kRules, {"--db_pool_size=4"}});
//     }
//   };
#ifndef COMMENTS_TESTS_SUPPORT_SERVER_SUITE_H_
#define COMMENTS_TESTS_SUPPORT_SERVER_SUITE_H_

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/support/e2e_environment.h"
#include "tests/support/server_process.h"

namespace comments::testing {

struct SuiteSetup {
  // Written to the rules file the server gets; none when empty.
  std::string rules_yaml;
  // Flags beyond the environment's (database, keys, rules).
  std::vector<std::string> server_args;
  std::string database = "e2e";
};

class ServerSuite : public ::testing::Test {
 protected:
  // Starts the environment and the server. Suites with set-up of their own
  // call this first and check HasFatalFailure() after it.
  static void StartSuite(const std::string& server_binary,
                         const SuiteSetup& setup = {});
  // Stops the server, then the database. Suites that keep objects of their
  // own delete them first, then call this.
  static void TearDownTestSuite();

  // Set between StartSuite and TearDownTestSuite. Suites run one after
  // another, never interleaved, so one pointer serves a binary's suites in
  // turn.
  static inline E2eEnvironment* environment_ = nullptr;
  static inline ServerProcess* server_ = nullptr;
};

}  // namespace comments::testing

#endif  // COMMENTS_TESTS_SUPPORT_SERVER_SUITE_H_
