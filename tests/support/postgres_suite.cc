#include "tests/support/postgres_suite.h"

#include <string>

#include "service/storage/migrations.h"

namespace comments::testing {

void PostgresSuite::SetUpTestSuite() {
  auto postgres = PostgresInstance::Start();
  ASSERT_TRUE(postgres.ok()) << postgres.status();
  postgres_ = postgres->release();
}

void PostgresSuite::TearDownTestSuite() {
  delete postgres_;
  postgres_ = nullptr;
}

void PostgresSuite::CreateMigratedDatabase(std::string_view name) {
  ASSERT_NE(postgres_, nullptr) << "the suite's server did not start";
  ASSERT_TRUE(postgres_->CreateDatabase(name).ok());
  auto applied = storage::ApplyMigrations(postgres_->ConnectionString(name));
  ASSERT_TRUE(applied.ok()) << applied.status();
}

}  // namespace comments::testing
