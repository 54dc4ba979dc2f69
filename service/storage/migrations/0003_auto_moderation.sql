-- Abuse resistance on the public submit path: duplicate detection and
-- flood control that hold across every replica sharing this database.

-- Keyed hash of the normalised body (case-folded, spacing collapsed): the
-- same body from the same email_hash on the same thread is a duplicate.
-- NULL for comments stored before this column existed.
ALTER TABLE comments ADD COLUMN body_hash bytea;

CREATE INDEX comments_duplicates ON comments (email_hash, thread, body_hash)
  WHERE email_hash IS NOT NULL AND body_hash IS NOT NULL;

-- Flood-control state, one row per rate-limited key. The key is a keyed
-- hash of an email address or a client IP (purpose-separated, so neither is
-- stored, and the row cannot be joined to comments.email_hash). A
-- submission locks its rows until it commits: that is what makes the check
-- and the insert atomic across replicas.
CREATE TABLE submission_limits (
  key bytea PRIMARY KEY,
  -- The last accepted comment; NULL when none was accepted yet.
  last_accepted timestamptz,
  -- Token-bucket level right after that comment (client IP keys only).
  tokens double precision NOT NULL DEFAULT 0
);

-- Pruning of idle keys.
CREATE INDEX submission_limits_by_last_accepted
  ON submission_limits (last_accepted);
