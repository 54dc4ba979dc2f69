// The fixture of black-box suites whose every test starts servers of its
// own, with flags of its own or to stop them: a fresh E2eEnvironment (its
// own PostgreSQL, keys and rules) before each test, gone after it.
//
//   class FooE2eTest : public comments::testing::EnvironmentTest {
//    protected:
//     FooE2eTest() : EnvironmentTest(COMMENTS_SERVER_PATH, "foo", kRules) {}
//   };
#ifndef COMMENTS_TESTS_SUPPORT_ENVIRONMENT_TEST_H_
#define COMMENTS_TESTS_SUPPORT_ENVIRONMENT_TEST_H_

#include <memory>
#include <string>
#include <utility>

#include "gtest/gtest.h"
#include "tests/support/e2e_environment.h"

namespace comments::testing {

class EnvironmentTest : public ::testing::Test {
 protected:
  // As E2eEnvironment::Create(server_binary, rules_yaml, database).
  EnvironmentTest(std::string server_binary, std::string database,
                  std::string rules_yaml = "")
      : server_binary_(std::move(server_binary)),
        database_(std::move(database)),
        rules_yaml_(std::move(rules_yaml)) {}

  void SetUp() override;

  // The database as its owner, for tests that lock tables under the server.
  std::string OwnerConnectionString() const;

  std::unique_ptr<E2eEnvironment> environment_;

 private:
  const std::string server_binary_;
  const std::string database_;
  const std::string rules_yaml_;
};

}  // namespace comments::testing

#endif  // COMMENTS_TESTS_SUPPORT_ENVIRONMENT_TEST_H_
