#include "service/storage/statement.h"

#include "pqxx/connection_base"

namespace comments::storage {

std::string Prepared(pqxx::transaction_base& txn, const Statement& statement) {
  // A no-op for a statement the connection already has with this text.
  txn.conn().prepare(statement.name, statement.sql);
  return statement.name;
}

pqxx::binarystring Bytes(std::string_view bytes) {
  return pqxx::binarystring(bytes.data(), bytes.size());
}

}  // namespace comments::storage
