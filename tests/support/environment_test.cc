#include "tests/support/environment_test.h"

namespace comments::testing {

void EnvironmentTest::SetUp() {
  auto environment =
      E2eEnvironment::Create(server_binary_, rules_yaml_, database_);
  ASSERT_TRUE(environment.ok()) << environment.status();
  environment_ = *std::move(environment);
}

std::string EnvironmentTest::OwnerConnectionString() const {
  return environment_->postgres().ConnectionString(environment_->database());
}

}  // namespace comments::testing
