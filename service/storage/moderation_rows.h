// Conversion between libpqxx rows and the moderation records.
#ifndef COMMENTS_SERVICE_STORAGE_MODERATION_ROWS_H_
#define COMMENTS_SERVICE_STORAGE_MODERATION_ROWS_H_

#include "pqxx/row"
#include "service/storage/moderation_record.h"

namespace comments::storage {

// Reads the columns of COMMENTS_EVENT_COLUMNS (moderation_sql.h).
ModerationEventRecord ReadModerationEvent(const pqxx::row& row);

// Reads the columns of COMMENTS_MODERATOR_COLUMNS (moderator_sql.h).
ModeratorRecord ReadModerator(const pqxx::row& row);

}  // namespace comments::storage

#endif  // COMMENTS_SERVICE_STORAGE_MODERATION_ROWS_H_
