-- EXPLAIN (ANALYZE, BUFFERS) of every public read the service makes, for
-- bench/RESULTS.md: the statements of service/storage/comment_sql.h
-- (kListApproved for a first page of 20 and of 50, kCountApproved for 100
-- threads, kSelectComment), with their parameters spelled out; kept in step
-- with that file by tests/unit/bench_public_queries_test.cc. :thread is one
-- listed thread, :threads_json a JSON array of 100 thread slugs,
-- :comment_id an existing comment's id.
\set ON_ERROR_STOP 1
-- One text for both pages; psql substitutes :'thread' as it sets it.
\set list_approved 'SELECT seq, id::text, thread, author_name, author_url, body, coalesce(reply_to::text, \'\'), state, (extract(epoch FROM create_time) * 1000000)::int8 FROM comments WHERE thread = ' :'thread' ' AND state = \'APPROVED\' AND seq > 0 ORDER BY seq LIMIT'
\echo '--- ListComments, first page of 20 (comment_list_approved)'
EXPLAIN (ANALYZE, BUFFERS) :list_approved 20;
\echo '--- ListComments, first page of 50 (comment_list_approved)'
EXPLAIN (ANALYZE, BUFFERS) :list_approved 50;
\echo '--- CountComments, 100 threads (comment_count_approved)'
EXPLAIN (ANALYZE, BUFFERS)
SELECT t.ord, count(c.seq)
FROM jsonb_array_elements_text(:'threads_json'::jsonb)
  WITH ORDINALITY AS t(thread, ord)
LEFT JOIN comments c ON c.thread = t.thread AND c.state = 'APPROVED'
GROUP BY t.ord ORDER BY t.ord;
\echo '--- GetComment (comment_get)'
EXPLAIN (ANALYZE, BUFFERS)
SELECT seq, id::text, thread, author_name, author_url, body,
  coalesce(reply_to::text, ''), state, email_ciphertext,
  coalesce(host(client_ip), ''), coalesce(user_agent, ''),
  array_to_json(flags)::text, version,
  (extract(epoch FROM create_time) * 1000000)::int8,
  (extract(epoch FROM update_time) * 1000000)::int8
FROM comments WHERE id = :'comment_id'::uuid;
