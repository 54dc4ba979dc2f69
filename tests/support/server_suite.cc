#include "tests/support/server_suite.h"

namespace comments::testing {

void ServerSuite::StartSuite(const std::string& server_binary,
                             const SuiteSetup& setup) {
  auto environment =
      E2eEnvironment::Create(server_binary, setup.rules_yaml, setup.database);
  ASSERT_TRUE(environment.ok()) << environment.status();
  environment_ = environment->release();
  auto server = environment_->StartServer(setup.server_args);
  ASSERT_TRUE(server.ok()) << server.status();
  server_ = server->release();
}

void ServerSuite::TearDownTestSuite() {
  delete server_;
  server_ = nullptr;
  delete environment_;
  environment_ = nullptr;
}

}  // namespace comments::testing
