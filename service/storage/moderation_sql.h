// SQL of the moderation repository, in one place. Every value is a $n
// parameter; nothing is assembled from strings at run time.
#ifndef COMMENTS_SERVICE_STORAGE_MODERATION_SQL_H_
#define COMMENTS_SERVICE_STORAGE_MODERATION_SQL_H_

#include "service/storage/comment_sql.h"
#include "service/storage/keyed_lookup.h"
#include "service/storage/statement.h"

namespace comments::storage::sql {

// The columns ReadModerationEvent (moderation_rows.h) expects, in order.
#define COMMENTS_EVENT_COLUMNS                                           \
  "id, coalesce(comment_id::text, ''), coalesce(thread, ''), moderator," \
  " action, coalesce(from_state, ''), coalesce(to_state, ''), reason,"   \
  " (extract(epoch FROM create_time) * 1000000)::int8"

// Read by the notify trigger of migration 0002 for the watchers' "actor";
// local to the transaction.
inline constexpr Statement kSetActor{
    "moderation_set_actor", "SELECT set_config('comments.actor', $1, true)"};

inline constexpr Statement kSelectModerated{
    "moderation_get", "SELECT " COMMENTS_COMMENT_COLUMNS
                      " FROM comments WHERE id = $1::uuid AND thread = $2"};

// Holds the row until commit, so a racing transition waits and then sees
// this one's result.
inline constexpr Statement kLockForTransition{
    "moderation_lock",
    "SELECT state, version FROM comments"
    " WHERE id = $1::uuid AND thread = $2 FOR UPDATE"};

// Every comment of a batch ($1: JSON array of ids), locked in id order.
// The order is the same whatever the request's, so two batches over
// overlapping comments queue on their first common row instead of each
// holding a row the other waits for (a deadlock). The lock is taken row by
// row above the sort, in sorted order.
inline constexpr Statement kLockBatch{
    "moderation_lock_batch",
    "SELECT id::text, thread, state, version FROM comments"
    " WHERE id IN (SELECT jsonb_array_elements_text($1::jsonb)::uuid)"
    " ORDER BY id FOR UPDATE"};

inline constexpr Statement kApplyTransition{
    "moderation_apply",
    "UPDATE comments SET state = $2, version = version + 1,"
    " update_time = now()"
    " WHERE id = $1::uuid RETURNING " COMMENTS_COMMENT_COLUMNS};

// Empty strings stand for NULL (an erasure has no comment or states).
inline constexpr Statement kInsertEvent{
    "moderation_insert_event",
    "INSERT INTO moderation_events"
    " (comment_id, thread, moderator, action, from_state, to_state, reason)"
    " VALUES (NULLIF($1, '')::uuid, NULLIF($2, ''), $3, $4, NULLIF($5, ''),"
    " NULLIF($6, ''), $7)"};

inline constexpr Statement kHistory{
    "moderation_history",
    "SELECT " COMMENTS_EVENT_COLUMNS
    " FROM moderation_events WHERE comment_id = $1::uuid ORDER BY id"};

// The histories of the comments in the JSON array $1 of ids.
inline constexpr Statement kHistories{
    "moderation_histories",
    "SELECT " COMMENTS_EVENT_COLUMNS
    " FROM moderation_events WHERE comment_id IN"
    " (SELECT jsonb_array_elements_text($1::jsonb)::uuid) ORDER BY id"};

// $2 = '' lists every thread.
inline constexpr Statement kListQueue{
    "moderation_list_queue",
    "SELECT " COMMENTS_COMMENT_COLUMNS
    " FROM comments WHERE state = $1 AND ($2 = '' OR thread = $2)"
    " AND seq > $3 ORDER BY seq LIMIT $4"};

inline constexpr Statement kCountQueue{
    "moderation_count_queue",
    "SELECT count(*) FROM comments"
    " WHERE state = $1 AND ($2 = '' OR thread = $2)"};

// $1 = '' lists the events of every comment; otherwise those of comment $1
// in thread $2.
inline constexpr Statement kListEvents{
    "moderation_list_events",
    "SELECT " COMMENTS_EVENT_COLUMNS
    " FROM moderation_events"
    " WHERE ($1 = '' OR (comment_id = NULLIF($1, '')::uuid AND thread = $2))"
    " AND id > $3 ORDER BY id LIMIT $4"};

// Anonymising: name and website replaced, email, IP, user agent and the
// draft fingerprint gone, body kept. $1: the email hashes under every hash
// key (keyed_lookup.h). Rows already erased no longer match, which makes it
// idempotent.
// The address's comments locked in id order before they change: the order
// batches lock in, so an erasure and a batch over the same comments cannot
// each hold a row the other waits for (a scan would meet them in storage
// order).
inline constexpr Statement kLockAuthorComments{
    "moderation_lock_author_comments",
    "SELECT id FROM comments"
    " WHERE email_hash = ANY (ARRAY" COMMENTS_HASH_LIST(1) ")"
    " ORDER BY id FOR UPDATE"};

inline constexpr Statement kAnonymiseAuthor{
    "moderation_anonymise_author",
    "UPDATE comments SET author_name = 'Anonymous', author_url = '',"
    " email_ciphertext = NULL, email_hash = NULL, client_ip = NULL,"
    " user_agent = NULL, request_fingerprint = NULL,"
    " version = version + 1, update_time = now()"
    " WHERE email_hash = ANY (ARRAY" COMMENTS_HASH_LIST(1) ")"};

inline constexpr Statement kDeleteAuthorComments{
    "moderation_delete_author_comments",
    "DELETE FROM comments"
    " WHERE email_hash = ANY (ARRAY" COMMENTS_HASH_LIST(1) ")"};

// The flood-control rows of the erased address, keys $1.
inline constexpr Statement kForgetAuthorLimits{
    "moderation_forget_author_limits",
    "DELETE FROM submission_limits WHERE key IN " COMMENTS_HASH_LIST(1)};

// The queue's length and the age of its oldest comment, in microseconds by
// the database's clock (0 when empty). Insertion order (seq) is creation
// order, so the oldest is the first of the index on (state, seq).
inline constexpr Statement kQueueSummary{
    "moderation_queue_summary",
    "SELECT (SELECT count(*) FROM comments WHERE state = 'PENDING'),"
    " coalesce((SELECT (extract(epoch FROM now() - create_time) * 1000000)"
    "::int8 FROM comments WHERE state = 'PENDING' ORDER BY seq LIMIT 1), 0)"};

}  // namespace comments::storage::sql

#endif  // COMMENTS_SERVICE_STORAGE_MODERATION_SQL_H_
