// Conversion between libpqxx rows and CommentRecord, shared by the
// repositories that read comments.
#ifndef COMMENTS_SERVICE_STORAGE_COMMENT_ROWS_H_
#define COMMENTS_SERVICE_STORAGE_COMMENT_ROWS_H_

#include <string>
#include <vector>

#include "pqxx/row"
#include "service/storage/comment_record.h"

namespace comments::storage {

// Reads the columns of sql::kCommentColumns starting at `first`.
CommentRecord ReadCommentRecord(const pqxx::row& row, int first = 0);

// Reads the columns of COMMENTS_PUBLIC_COMMENT_COLUMNS; the moderator-only
// fields stay empty.
CommentRecord ReadPublicCommentRecord(const pqxx::row& row);

// A JSON array of strings: how string lists are passed as one parameter.
std::string ToJsonArray(const std::vector<std::string>& values);

}  // namespace comments::storage

#endif  // COMMENTS_SERVICE_STORAGE_COMMENT_ROWS_H_
