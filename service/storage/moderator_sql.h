// SQL of the moderator accounts, in one place.
#ifndef COMMENTS_SERVICE_STORAGE_MODERATOR_SQL_H_
#define COMMENTS_SERVICE_STORAGE_MODERATOR_SQL_H_

#include "service/storage/statement.h"

namespace comments::storage::sql {

// The columns ReadModerator (moderation_rows.h) expects, in order.
#define COMMENTS_MODERATOR_COLUMNS                           \
  "name, (extract(epoch FROM create_time) * 1000000)::int8," \
  " (extract(epoch FROM revoke_time) * 1000000)::int8"

// Returns no row when the name (or, impossibly, the token hash) is taken.
inline constexpr Statement kInsertModerator{
    "moderator_insert",
    "INSERT INTO moderators (name, token_hash) VALUES ($1, $2)"
    " ON CONFLICT DO NOTHING RETURNING " COMMENTS_MODERATOR_COLUMNS};

inline constexpr Statement kListModerators{"moderator_list",
                                           "SELECT " COMMENTS_MODERATOR_COLUMNS
                                           " FROM moderators ORDER BY name"};

// Keeps the first revocation time when revoked again.
inline constexpr Statement kRevokeModerator{
    "moderator_revoke",
    "UPDATE moderators SET revoke_time = coalesce(revoke_time, now())"
    " WHERE name = $1 RETURNING " COMMENTS_MODERATOR_COLUMNS};

inline constexpr Statement kFindActiveModerator{
    "moderator_find_active",
    "SELECT name FROM moderators"
    " WHERE token_hash = $1 AND revoke_time IS NULL"};

}  // namespace comments::storage::sql

#endif  // COMMENTS_SERVICE_STORAGE_MODERATOR_SQL_H_
