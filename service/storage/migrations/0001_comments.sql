-- Comments and their moderation state.
--
-- The author's email is never stored in plain text: email_ciphertext is
-- AEAD-encrypted with the comment id as associated data, and email_hash is a
-- keyed hash of the normalised address for lookups (duplicates, flood
-- control, erasure). Both become NULL when the author's data is erased.
CREATE TABLE comments (
  -- Insertion order: the stable sort key for "oldest first" and for page
  -- tokens. Never exposed.
  seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  id uuid PRIMARY KEY,
  thread text NOT NULL CHECK (length(thread) BETWEEN 1 AND 128),
  author_name text NOT NULL,
  email_ciphertext bytea,
  email_hash bytea,
  author_url text NOT NULL DEFAULT '',
  body text NOT NULL,
  reply_to uuid REFERENCES comments (id) ON DELETE SET NULL,
  state text NOT NULL
    CHECK (state IN ('PENDING', 'APPROVED', 'REJECTED', 'SPAM')),
  client_ip inet,
  user_agent text,
  -- Auto-moderation rules that fired when the comment was submitted.
  flags text[] NOT NULL DEFAULT '{}',
  -- Idempotency: a retried CreateComment with the same request_id returns
  -- this row if request_fingerprint (keyed hash of the draft) matches.
  request_id uuid UNIQUE,
  request_fingerprint bytea,
  -- Bumped on every change; the etag moderators send back.
  version bigint NOT NULL DEFAULT 1,
  create_time timestamptz NOT NULL DEFAULT now(),
  update_time timestamptz NOT NULL DEFAULT now()
);

-- Public reads: approved comments of one thread in order, and counts.
CREATE INDEX comments_approved_by_thread ON comments (thread, seq)
  WHERE state = 'APPROVED';
-- The moderation queue by state, oldest first.
CREATE INDEX comments_by_state ON comments (state, seq);
CREATE INDEX comments_by_email_hash ON comments (email_hash)
  WHERE email_hash IS NOT NULL;
