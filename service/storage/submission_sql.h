// SQL of the public submission path's abuse checks (admission.h,
// pg_submission_store.h), in one place. Every value is a $n parameter.
#ifndef COMMENTS_SERVICE_STORAGE_SUBMISSION_SQL_H_
#define COMMENTS_SERVICE_STORAGE_SUBMISSION_SQL_H_

#include "service/storage/keyed_lookup.h"
#include "service/storage/statement.h"

namespace comments::storage::sql {

// Locks the limit row of key $1 until the transaction ends, creating it
// (state "never seen") when absent, and returns its state: the last accepted
// comment in microseconds since the epoch (NULL: never), and the tokens left;
// then the stricter state of the rows of the same sender under the older
// hash keys $2 (NULL, NULL when there are none). The no-op update is what
// takes the row lock on an existing row; a concurrent submission for the
// same key waits here, then reads the state the first one committed. Older
// rows are only read: every submission of this sender locks the current row
// first, which serialises them.
inline constexpr Statement kLockSubmissionLimit{
    "admission_lock_limit",
    "WITH locked AS ("
    " INSERT INTO submission_limits AS l (key) VALUES ($1)"
    " ON CONFLICT (key) DO UPDATE SET tokens = l.tokens"
    " RETURNING l.last_accepted, l.tokens)"
    " SELECT (extract(epoch FROM locked.last_accepted) * 1000000)::int8,"
    " locked.tokens,"
    " (extract(epoch FROM older.last_accepted) * 1000000)::int8,"
    " older.tokens"
    " FROM locked, (SELECT max(last_accepted) AS last_accepted,"
    " min(tokens) AS tokens FROM submission_limits"
    // "= ANY (ARRAY ...)" probes the primary key per hash; "IN (subquery)"
    // made the planner scan the table, which grows with the senders.
    " WHERE last_accepted IS NOT NULL"
    " AND key = ANY (ARRAY" COMMENTS_HASH_LIST(2) ")) AS older"};

// $2: microseconds since the epoch, exact until the year 2255 (2^53 us).
inline constexpr Statement kSaveSubmissionLimit{
    "admission_save_limit",
    "UPDATE submission_limits"
    " SET last_accepted = 'epoch'::timestamptz + $2::int8 * interval '1 us',"
    " tokens = $3::float8"
    " WHERE key = $1"};

// Both questions the admission asks of stored comments, in one round trip:
// is request_id $1 (may be empty) already stored, and is a comment of
// thread $2 stored with one of the body hashes $3 (any author, any state).
inline constexpr Statement kStoredRequestAndDuplicate{
    "admission_stored_checks",
    "SELECT"
    " EXISTS (SELECT 1 FROM comments WHERE request_id = NULLIF($1, '')::uuid),"
    " EXISTS (SELECT 1 FROM comments WHERE thread = $2"
    " AND body_hash = ANY (ARRAY" COMMENTS_HASH_LIST(3) "))"};

// The statements of a whole batch (batch_admission.h). Keys and hashes are
// hex strings in JSON arrays, as COMMENTS_HASH_LIST takes them.

// Locks the limit rows of the keys in $1 (no key twice) in key order, the
// order Admit locks in, creating the missing ones as kLockSubmissionLimit
// does, and returns each: key (hex), last accepted (microseconds since the
// epoch, NULL: never), tokens.
inline constexpr Statement kLockSubmissionLimits{
    "admission_lock_limits",
    "INSERT INTO submission_limits AS l (key)"
    " SELECT k.key FROM " COMMENTS_HASH_LIST(1) " AS k(key) ORDER BY k.key"
    " ON CONFLICT (key) DO UPDATE SET tokens = l.tokens"
    " RETURNING encode(l.key, 'hex'),"
    " (extract(epoch FROM l.last_accepted) * 1000000)::int8, l.tokens"};

// The rows of the keys in $1 (older hash keys) that ever accepted a
// comment, read without locking them (see kLockSubmissionLimit).
inline constexpr Statement kReadOlderLimits{
    "admission_read_older_limits",
    "SELECT encode(key, 'hex'),"
    " (extract(epoch FROM last_accepted) * 1000000)::int8, tokens"
    " FROM submission_limits"
    " WHERE last_accepted IS NOT NULL"
    " AND key = ANY (ARRAY" COMMENTS_HASH_LIST(1) ")"};

// kStoredRequestAndDuplicate for every element of the JSON array $1
// ({"request_id", "thread", "body_hashes": [hex]}), in array order.
inline constexpr Statement kStoredRequestsAndDuplicates{
    "admission_stored_checks_batch",
    "SELECT request.found IS NOT NULL, body.found IS NOT NULL"
    " FROM ROWS FROM (jsonb_to_recordset($1::jsonb)"
    " AS (request_id text, thread text, body_hashes jsonb))"
    " WITH ORDINALITY AS x(request_id, thread, body_hashes, ord)"
    // LATERAL ... LIMIT 1 keeps each lookup an index probe: as EXISTS, a
    // batch's estimated hundred rows make the planner hash the whole table.
    " LEFT JOIN LATERAL (SELECT true AS found FROM comments"
    " WHERE request_id = NULLIF(x.request_id, '')::uuid LIMIT 1) AS request"
    " ON true"
    " LEFT JOIN LATERAL (SELECT true AS found FROM comments"
    " WHERE thread = x.thread AND body_hash = ANY (ARRAY(SELECT decode(h, "
    "'hex')"
    " FROM jsonb_array_elements_text(x.body_hashes) AS h)) LIMIT 1) AS body"
    " ON true"
    " ORDER BY x.ord"};

// kSaveSubmissionLimit for every element of the JSON array $1
// ({"key": hex, "last_us", "tokens"}); no key twice. Written as an upsert
// of rows that exist (kLockSubmissionLimits made them) so that each row is
// an index probe: an UPDATE joined to the array would have the planner scan
// the whole table.
inline constexpr Statement kSaveSubmissionLimits{
    "admission_save_limits",
    "INSERT INTO submission_limits AS l (key, last_accepted, tokens)"
    " SELECT decode(x.key, 'hex'),"
    " 'epoch'::timestamptz + x.last_us * interval '1 us', x.tokens"
    " FROM jsonb_to_recordset($1::jsonb) AS x(key text, last_us int8,"
    " tokens float8)"
    " ON CONFLICT (key) DO UPDATE"
    " SET last_accepted = excluded.last_accepted, tokens = excluded.tokens"};

// APPROVED comments whose email hash is one of $1 and whose author name is
// exactly $2.
inline constexpr Statement kCountApprovedByAuthor{
    "submission_count_approved_by_author",
    "SELECT count(*) FROM comments"
    " WHERE email_hash = ANY (ARRAY" COMMENTS_HASH_LIST(1) ")"
    " AND author_name = $2 AND state = 'APPROVED'"};

// Forgets up to $2 limit rows idle since before $1 (microseconds since the
// epoch). Rows a submission holds are skipped, so pruning never waits for
// a submission nor deadlocks with one.
inline constexpr Statement kPruneSubmissionLimits{
    "submission_prune_limits",
    "DELETE FROM submission_limits WHERE key IN ("
    " SELECT key FROM submission_limits"
    " WHERE last_accepted IS NULL"
    " OR last_accepted < 'epoch'::timestamptz + $1::int8 * interval '1 us'"
    " LIMIT $2 FOR UPDATE SKIP LOCKED)"};

}  // namespace comments::storage::sql

#endif  // COMMENTS_SERVICE_STORAGE_SUBMISSION_SQL_H_
