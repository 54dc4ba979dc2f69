#include "service/startup/durability_check.h"

#include <exception>

#include "pqxx/pqxx"
#include "service/common/json_log.h"
#include "service/storage/db_errors.h"

namespace comments::startup {
namespace {

struct Setting {
  const char* name;
  const char* sql;
};

// In the order SettingsLosingCommits reports them.
constexpr Setting kSettings[] = {
    {"fsync", "SHOW fsync"},
    {"synchronous_commit", "SHOW synchronous_commit"},
};

}  // namespace

absl::StatusOr<std::vector<std::string>> SettingsLosingCommits(
    const std::string& connection_string) {
  try {
    pqxx::connection connection(connection_string);
    pqxx::nontransaction session(connection);
    std::vector<std::string> off;
    for (const Setting& setting : kSettings) {
      const pqxx::row row = session.exec1(setting.sql);
      if (row[0].as<std::string>() == "off") off.emplace_back(setting.name);
    }
    return off;
  } catch (const std::exception& error) {
    return storage::StatusFromDbException(error);
  }
}

void WarnUnlessDurable(const std::string& connection_string) {
  const absl::StatusOr<std::vector<std::string>> off =
      SettingsLosingCommits(connection_string);
  if (!off.ok()) {
    log::Warning("cannot check the database's durability settings",
                 {{"error", std::string(off.status().message())}});
    return;
  }
  for (const std::string& setting : *off) {
    log::Warning(
        "the database is not durable: a crash can lose or corrupt comments "
        "the service acknowledged; turn the setting on",
        {{"setting", setting}, {"value", "off"}});
  }
}

}  // namespace comments::startup
