-- Bulk-loads comments the way a live site's table looks, for bench/run.sh:
--
--   psql -v prefix=bench-read- -v first_thread=0 -v threads=1000 \
--        -v per_thread=100 -f bench/seed_comments.sql
--
-- Threads :prefix:first_thread .. :prefix(:first_thread + :threads - 1) get
-- :per_thread comments each, interleaved in insertion order as comments of
-- many articles are. Within a thread, 85 of every 100 are APPROVED, 8
-- PENDING, 5 SPAM and 2 REJECTED, in a scattered order, so with
-- :per_thread = 100 every thread has exactly 85 approved comments (the
-- benchmark lists pages of up to 50). Every NOT NULL column is filled, and
-- so is every column an index reads (email_hash of 40,000 recurring
-- authors, body_hash, request_id, state), with values shaped like the
-- service's: "k1:" + nonce + ciphertext emails, 32-byte keyed hashes,
-- bodies of 40 to about 640 characters, mostly short. Nothing replies
-- (reply_to stays NULL). Rows are dated over the past year, moderated rows
-- a little after they were created.
--
-- The insert runs with session_replication_role = replica, as a restore
-- would: the queue-notification trigger would otherwise queue one
-- notification per PENDING row for servers that are not running.
\set ON_ERROR_STOP 1
SET session_replication_role = replica;
INSERT INTO comments (id, thread, author_name, email_ciphertext, email_hash,
  author_url, body, reply_to, state, client_ip, user_agent, flags,
  request_id, request_fingerprint, version, create_time, update_time,
  body_hash)
SELECT gen_random_uuid(), r.thread, 'Reader ' || r.author,
  'k1:'::bytea || sha256(('nonce' || r.n)::bytea)
    || sha256(('mail' || r.author)::bytea),
  sha256(('author' || r.author)::bytea),
  CASE WHEN r.n % 10 = 0 THEN 'https://reader' || r.author || '.example.org/'
       ELSE '' END,
  r.body, NULL, r.state,
  '0.0.0.0'::inet + (r.n::int8 * 2654435761 % 4294967296),
  CASE r.n % 3 WHEN 0 THEN 'Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0'
               WHEN 1 THEN 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_1) AppleWebKit/605.1.15 Safari/605.1.15'
               ELSE 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) Mobile/15E148' END,
  CASE WHEN r.state = 'PENDING' AND r.n % 2 = 0 THEN '{links}'::text[]
       ELSE '{}'::text[] END,
  gen_random_uuid(), sha256(('draft' || r.n)::bytea),
  CASE WHEN r.state = 'PENDING' THEN 1 ELSE 2 END,
  r.created,
  CASE WHEN r.state = 'PENDING' THEN r.created
       ELSE r.created + interval '1 hour' END,
  sha256(r.body::bytea)
FROM (
  SELECT s.n,
    :'prefix' || (:first_thread + s.n % :threads) AS thread,
    s.n * 7 % 40000 AS author,
    CASE WHEN s.n / :threads * 37 % 100 < 85 THEN 'APPROVED'
         WHEN s.n / :threads * 37 % 100 < 93 THEN 'PENDING'
         WHEN s.n / :threads * 37 % 100 < 98 THEN 'SPAM'
         ELSE 'REJECTED' END AS state,
    'Comment ' || s.n || ': ' || substr(
      repeat('I read the article twice and I am still not sure the author '
             || 'has weighed the other side fairly; the figures in the third '
             || 'paragraph deserve a source, and the conclusion goes further '
             || 'than the evidence. Still, a thoughtful piece. ', 5),
      (1 + s.n % 50)::int, (30 + (s.n * 40503 % 100) * (s.n * 40503 % 100) / 16)::int)
      AS body,
    now() - interval '365 days'
      + (s.n::double precision / (:threads * :per_thread))
        * interval '364 days' AS created
  FROM generate_series(0::int8, :threads::int8 * :per_thread - 1) AS s(n)
) AS r;
RESET session_replication_role;
