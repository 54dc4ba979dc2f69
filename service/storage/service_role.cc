#include "service/storage/service_role.h"

#include <libpq-fe.h>

#include <memory>

#include "absl/strings/str_cat.h"
#include "pqxx/connection"
#include "pqxx/nontransaction"
#include "pqxx/transaction"
#include "service/storage/db_errors.h"

namespace comments::storage {
namespace {

constexpr char kMaySetPasswords[] =
    "SELECT rolsuper OR rolcreaterole FROM pg_roles"
    " WHERE rolname = current_user";

constexpr char kSetPasswordParameters[] =
    "SELECT set_config('comments.password_role', $1, true),"
    " set_config('comments.password_verifier', $2, true)";

// Utility statements take no parameters: the DO block quotes the role name
// and the verifier itself, from this transaction's settings.
constexpr char kSetPassword[] = R"sql(
DO $$
BEGIN
  EXECUTE format('ALTER ROLE %I LOGIN PASSWORD %L',
                 current_setting('comments.password_role'),
                 current_setting('comments.password_verifier'));
END;
$$)sql";

// Tables, views and sequences of the public schema that the connected role
// could ALTER or DROP: its own, its owner roles' through membership, or
// every one for a superuser.
constexpr char kPrivileges[] =
    "SELECT r.rolsuper,"
    " (SELECT count(*) FROM pg_class c"
    "  JOIN pg_namespace n ON n.oid = c.relnamespace"
    "  WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'S')"
    "  AND pg_has_role(c.relowner, 'USAGE')),"
    " (SELECT min(c.relname) FROM pg_class c"
    "  JOIN pg_namespace n ON n.oid = c.relnamespace"
    "  WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')"
    "  AND pg_has_role(c.relowner, 'USAGE'))"
    " FROM pg_roles r WHERE r.rolname = current_user";

// NULL columns when the role does not exist.
constexpr char kServiceRole[] =
    "SELECT r.rolcanlogin, r.rolsuper,"
    " has_table_privilege(r.oid, 'comments', 'SELECT, INSERT, UPDATE'),"
    " has_table_privilege(r.oid, 'moderation_events', 'SELECT, INSERT')"
    " FROM (SELECT 1) AS one LEFT JOIN pg_roles r ON r.rolname = $1";

struct PgConnCloser {
  void operator()(PGconn* connection) const { PQfinish(connection); }
};

struct PgFree {
  void operator()(char* text) const { PQfreemem(text); }
};

// The verifier for `password`, made by libpq for the server at
// `connection_string` (which names the algorithm the server expects).
absl::StatusOr<std::string> PasswordVerifier(
    const std::string& connection_string, const std::string& role,
    const std::string& password) {
  std::unique_ptr<PGconn, PgConnCloser> connection(
      PQconnectdb(connection_string.c_str()));
  if (connection == nullptr || PQstatus(connection.get()) != CONNECTION_OK) {
    return absl::UnavailableError("database unavailable");
  }
  std::unique_ptr<char, PgFree> verifier(PQencryptPasswordConn(
      connection.get(), password.c_str(), role.c_str(), nullptr));
  if (verifier == nullptr) {
    // libpq's message names the algorithm, never the password.
    return absl::InternalError(absl::StrCat("cannot make a password verifier: ",
                                            PQerrorMessage(connection.get())));
  }
  return std::string(verifier.get());
}

}  // namespace

absl::Status SetRolePassword(const std::string& connection_string,
                             const std::string& role,
                             const std::string& password) {
  if (password.empty()) {
    return absl::InvalidArgumentError("the password is empty");
  }
  absl::StatusOr<std::string> verifier =
      PasswordVerifier(connection_string, role, password);
  if (!verifier.ok()) return verifier.status();
  try {
    pqxx::connection connection(connection_string);
    pqxx::work transaction(connection);
    if (!transaction.exec1(kMaySetPasswords)[0].as<bool>()) {
      return absl::FailedPreconditionError(
          absl::StrCat("this role may not set the password of \"", role,
                       "\" (it needs CREATEROLE)"));
    }
    transaction.exec_params(kSetPasswordParameters, role, *verifier);
    transaction.exec(kSetPassword);
    transaction.commit();
    return absl::OkStatus();
  } catch (const std::exception& error) {
    return StatusFromDbException(error);
  }
}

absl::Status CheckServiceRole(const std::string& connection_string,
                              const std::string& role) {
  try {
    pqxx::connection connection(connection_string);
    pqxx::nontransaction session(connection);
    const pqxx::row row = session.exec_params1(kServiceRole, role);
    const std::string quoted = absl::StrCat("\"", role, "\"");
    if (row[0].is_null()) {
      return absl::FailedPreconditionError(
          absl::StrCat("the service role ", quoted, " does not exist"));
    }
    if (!row[0].as<bool>()) {
      return absl::FailedPreconditionError(
          absl::StrCat("the service role ", quoted, " may not log in"));
    }
    if (row[1].as<bool>()) {
      return absl::FailedPreconditionError(absl::StrCat(
          "the service role ", quoted,
          " is a superuser, which no trigger binds: give the service a role "
          "of its own"));
    }
    if (!row[2].as<bool>() || !row[3].as<bool>()) {
      return absl::FailedPreconditionError(absl::StrCat(
          "the service role ", quoted,
          " lacks the privileges the migrations grant, which went to another "
          "role: GRANT that role to ",
          quoted, ", or use its name"));
    }
    return absl::OkStatus();
  } catch (const std::exception& error) {
    return StatusFromDbException(error);
  }
}

absl::StatusOr<std::vector<std::string>> ExcessPrivileges(
    const std::string& connection_string) {
  try {
    pqxx::connection connection(connection_string);
    pqxx::nontransaction session(connection);
    const pqxx::row row = session.exec1(kPrivileges);
    std::vector<std::string> excess;
    if (row[0].as<bool>()) excess.push_back("is a superuser");
    const int64_t owned = row[1].as<int64_t>();
    if (owned > 0) {
      excess.push_back(absl::StrCat(
          "can alter or drop ", owned, owned == 1 ? " relation" : " relations",
          row[2].is_null() ? "" : ", e.g. ", row[2].c_str(), " (an owner)"));
    }
    return excess;
  } catch (const std::exception& error) {
    return StatusFromDbException(error);
  }
}

}  // namespace comments::storage
