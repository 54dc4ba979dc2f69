// The fixture of the suites that test against a real PostgreSQL: one
// throwaway server for the whole suite (starting one per test would cost
// more than the tests), databases migrated as the superuser, which owns the
// schema as it does in docker-compose.yml.
//
//   class FooTest : public comments::testing::PostgresSuite {
//    protected:
//     static void SetUpTestSuite() {
//       PostgresSuite::SetUpTestSuite();
//       CreateMigratedDatabase("foo");
//     }
//   };
#ifndef COMMENTS_TESTS_SUPPORT_POSTGRES_SUITE_H_
#define COMMENTS_TESTS_SUPPORT_POSTGRES_SUITE_H_

#include <string_view>

#include "gtest/gtest.h"
#include "tests/support/postgres_instance.h"

namespace comments::testing {

class PostgresSuite : public ::testing::Test {
 protected:
  // Starts the server. Suites with set-up of their own call this first.
  static void SetUpTestSuite();
  // Stops the server and removes its data. Suites that keep objects on the
  // server delete them first, then call this.
  static void TearDownTestSuite();

  // CREATE DATABASE `name`, then every migration as the superuser.
  static void CreateMigratedDatabase(std::string_view name);

  // The suite's server; set between SetUpTestSuite and TearDownTestSuite.
  // Suites run one after another, never interleaved, so one pointer serves
  // all of a binary's suites in turn.
  static inline PostgresInstance* postgres_ = nullptr;
};

}  // namespace comments::testing

#endif  // COMMENTS_TESTS_SUPPORT_POSTGRES_SUITE_H_
