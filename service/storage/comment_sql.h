// SQL of the comment repository, in one place. Every value is a $n
// parameter; nothing is assembled from strings at run time.
#ifndef COMMENTS_SERVICE_STORAGE_COMMENT_SQL_H_
#define COMMENTS_SERVICE_STORAGE_COMMENT_SQL_H_

#include "service/storage/statement.h"

namespace comments::storage::sql {

// The columns ReadCommentRecord (comment_rows.h) expects, in order.
#define COMMENTS_COMMENT_COLUMNS                              \
  "seq, id::text, thread, author_name, author_url, body,"     \
  " coalesce(reply_to::text, ''), state, email_ciphertext,"   \
  " coalesce(host(client_ip), ''), coalesce(user_agent, '')," \
  " array_to_json(flags)::text, version,"                     \
  " (extract(epoch FROM create_time) * 1000000)::int8,"       \
  " (extract(epoch FROM update_time) * 1000000)::int8"

inline constexpr char kCommentColumns[] = COMMENTS_COMMENT_COLUMNS;

// Empty strings stand for NULL so that callers pass plain values.
inline constexpr Statement kInsertComment{
    "comment_insert",
    "INSERT INTO comments (id, thread, author_name, author_url, body,"
    " reply_to, state, email_ciphertext, email_hash, client_ip, user_agent,"
    " flags, request_id, request_fingerprint, body_hash)"
    " VALUES ($1::uuid, $2, $3, $4, $5, NULLIF($6, '')::uuid, $7,"
    " NULLIF($8, ''::bytea), NULLIF($9, ''::bytea), NULLIF($10, '')::inet,"
    " NULLIF($11, ''),"
    " ARRAY(SELECT jsonb_array_elements_text($12::jsonb)),"
    " NULLIF($13, '')::uuid, NULLIF($14, ''::bytea), NULLIF($15, ''::bytea))"
    " ON CONFLICT (request_id) DO NOTHING"
    " RETURNING " COMMENTS_COMMENT_COLUMNS};

// kInsertComment for every element of the JSON array $1, in array order
// (so seq follows it): one object per comment with the parameters of
// kInsertComment by column name, bytea as hex, flags an array. A row whose
// request_id is taken is skipped; the rows inserted are returned, their id
// second (kCommentColumns).
inline constexpr Statement kInsertComments{
    "comment_insert_batch",
    "INSERT INTO comments (id, thread, author_name, author_url, body,"
    " reply_to, state, email_ciphertext, email_hash, client_ip, user_agent,"
    " flags, request_id, request_fingerprint, body_hash)"
    " SELECT x.id::uuid, x.thread, x.author_name, x.author_url, x.body,"
    " NULLIF(x.reply_to, '')::uuid, x.state,"
    " NULLIF(decode(x.email_ciphertext, 'hex'), ''::bytea),"
    " NULLIF(decode(x.email_hash, 'hex'), ''::bytea),"
    " NULLIF(x.client_ip, '')::inet, NULLIF(x.user_agent, ''),"
    " ARRAY(SELECT jsonb_array_elements_text(x.flags)),"
    " NULLIF(x.request_id, '')::uuid,"
    " NULLIF(decode(x.request_fingerprint, 'hex'), ''::bytea),"
    " NULLIF(decode(x.body_hash, 'hex'), ''::bytea)"
    " FROM ROWS FROM (jsonb_to_recordset($1::jsonb) AS (id text, thread text,"
    " author_name text, author_url text, body text, reply_to text,"
    " state text, email_ciphertext text, email_hash text, client_ip text,"
    " user_agent text, flags jsonb, request_id text,"
    " request_fingerprint text, body_hash text))"
    " WITH ORDINALITY AS x(id, thread, author_name, author_url, body,"
    " reply_to, state, email_ciphertext, email_hash, client_ip, user_agent,"
    " flags, request_id, request_fingerprint, body_hash, ord)"
    " ORDER BY x.ord"
    " ON CONFLICT (request_id) DO NOTHING"
    " RETURNING " COMMENTS_COMMENT_COLUMNS};

inline constexpr Statement kSelectByRequestId{
    "comment_by_request_id",
    "SELECT request_fingerprint, " COMMENTS_COMMENT_COLUMNS
    " FROM comments WHERE request_id = $1::uuid"};

inline constexpr Statement kSelectComment{"comment_get",
                                          "SELECT " COMMENTS_COMMENT_COLUMNS
                                          " FROM comments WHERE id = $1::uuid"};

// What a public page shows, and nothing else: the widest read of the
// service stays as narrow as its output. ReadPublicCommentRecord reads it.
#define COMMENTS_PUBLIC_COMMENT_COLUMNS                   \
  "seq, id::text, thread, author_name, author_url, body," \
  " coalesce(reply_to::text, ''), state,"                 \
  " (extract(epoch FROM create_time) * 1000000)::int8"

inline constexpr Statement kListApproved{
    "comment_list_approved",
    "SELECT " COMMENTS_PUBLIC_COMMENT_COLUMNS
    " FROM comments WHERE thread = $1 AND state = 'APPROVED' AND seq > $2"
    " ORDER BY seq LIMIT $3"};

// One count per element of the JSON array $1, in array order.
inline constexpr Statement kCountApproved{
    "comment_count_approved",
    "SELECT t.ord, count(c.seq)"
    " FROM jsonb_array_elements_text($1::jsonb) WITH ORDINALITY AS t(thread, "
    "ord)"
    " LEFT JOIN comments c ON c.thread = t.thread AND c.state = 'APPROVED'"
    " GROUP BY t.ord ORDER BY t.ord"};

inline constexpr Statement kIsApprovedInThread{
    "comment_is_approved_in_thread",
    "SELECT EXISTS (SELECT 1 FROM comments"
    " WHERE id = $1::uuid AND thread = $2 AND state = 'APPROVED')"};

}  // namespace comments::storage::sql

#endif  // COMMENTS_SERVICE_STORAGE_COMMENT_SQL_H_
