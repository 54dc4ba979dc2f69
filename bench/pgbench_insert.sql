-- The pgbench baseline of bench/run.sh: the single-row INSERT that
-- CreateComment makes (kInsertComment in service/storage/comment_sql.h),
-- same columns, similar value sizes and the same RETURNING list, each in a
-- transaction of its own; keep it in step with that statement. Values are
-- random so that no two rows collide. email_ciphertext mimics
-- "<key-id>:" + nonce + ciphertext; the hashes are 32 bytes like the
-- service's keyed BLAKE2b.
INSERT INTO comments (id, thread, author_name, author_url, body, reply_to,
  state, email_ciphertext, email_hash, client_ip, user_agent, flags,
  request_id, request_fingerprint, body_hash)
VALUES (gen_random_uuid(), 'bench-pgbench', 'Benchmark Reader', '',
  'Benchmark comment ' || gen_random_uuid()::text
    || ': a short opinion about the article, the length of a typical reader comment.',
  NULL, 'PENDING',
  'k1:'::bytea || sha256(gen_random_uuid()::text::bytea)
    || sha256(gen_random_uuid()::text::bytea),
  sha256(gen_random_uuid()::text::bytea), '127.0.0.1'::inet, NULL, '{}',
  gen_random_uuid(), sha256(gen_random_uuid()::text::bytea),
  sha256(gen_random_uuid()::text::bytea))
ON CONFLICT (request_id) DO NOTHING
RETURNING seq, id::text, thread, author_name, author_url, body,
  coalesce(reply_to::text, ''), state, email_ciphertext,
  coalesce(host(client_ip), ''), coalesce(user_agent, ''),
  array_to_json(flags)::text, version,
  (extract(epoch FROM create_time) * 1000000)::int8,
  (extract(epoch FROM update_time) * 1000000)::int8;
