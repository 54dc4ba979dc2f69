// One SQL statement: its name and text declared together, once, beside the
// repository that runs it (the *_sql.h files). No list of statements exists
// anywhere else: a connection learns a statement when it first runs it.
#ifndef COMMENTS_SERVICE_STORAGE_STATEMENT_H_
#define COMMENTS_SERVICE_STORAGE_STATEMENT_H_

#include <string>
#include <string_view>

#include "pqxx/binarystring"
#include "pqxx/transaction_base"

namespace comments::storage {

struct Statement {
  const char* name;
  const char* sql;  // every value a $n parameter
};

// Defines `statement` on the connection of `txn` if it is new there, and
// returns its name for exec_prepared. libpqxx prepares a defined statement
// on the server the first time it runs on a connection, so each statement
// is prepared once per connection, and only if that connection uses it.
std::string Prepared(pqxx::transaction_base& txn, const Statement& statement);

// A bytea parameter.
pqxx::binarystring Bytes(std::string_view bytes);

}  // namespace comments::storage

#endif  // COMMENTS_SERVICE_STORAGE_STATEMENT_H_
