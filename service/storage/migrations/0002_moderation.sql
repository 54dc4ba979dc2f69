-- Moderators, the audit trail, and queue notifications for live watchers.

-- A moderator is a name and the SHA-256 of a 32-byte random token. The token
-- itself is shown once, when the account is made, and never stored. Names
-- are never reused, so the audit trail always means one account.
CREATE TABLE moderators (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name text NOT NULL UNIQUE CHECK (name ~ '^[A-Za-z0-9._@-]{1,64}$'),
  token_hash bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
  create_time timestamptz NOT NULL DEFAULT now(),
  revoke_time timestamptz
);

-- The audit trail. comment_id has no foreign key on purpose: erasure may
-- delete the comment, and its history must stay. Rows are never changed.
CREATE TABLE moderation_events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  comment_id uuid,
  thread text,
  moderator text NOT NULL,
  action text NOT NULL
    CHECK (action IN ('APPROVE', 'REJECT', 'MARK_SPAM', 'ERASE')),
  from_state text
    CHECK (from_state IN ('PENDING', 'APPROVED', 'REJECTED', 'SPAM')),
  to_state text
    CHECK (to_state IN ('PENDING', 'APPROVED', 'REJECTED', 'SPAM')),
  reason text NOT NULL DEFAULT '',
  create_time timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX moderation_events_by_comment
  ON moderation_events (comment_id, id) WHERE comment_id IS NOT NULL;

-- Append-only whatever role connects: a trigger binds the table owner and
-- superusers too, where REVOKE alone would not.
CREATE FUNCTION moderation_events_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'moderation_events is append-only'
    USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER moderation_events_no_update_or_delete
  BEFORE UPDATE OR DELETE ON moderation_events
  FOR EACH ROW EXECUTE FUNCTION moderation_events_append_only();

CREATE TRIGGER moderation_events_no_truncate
  BEFORE TRUNCATE ON moderation_events
  FOR EACH STATEMENT EXECUTE FUNCTION moderation_events_append_only();

REVOKE UPDATE, DELETE, TRUNCATE ON moderation_events FROM PUBLIC;

-- Every replica LISTENs on comment_queue. A comment entering or leaving
-- PENDING notifies on commit, whichever replica (or script) made the change.
-- The actor is what the moderation transaction put in comments.actor
-- (set_config(..., true): this transaction only); anything else is "auto".
CREATE FUNCTION comments_queue_notify() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  was_pending boolean := TG_OP <> 'INSERT' AND OLD.state = 'PENDING';
  is_pending boolean := TG_OP <> 'DELETE' AND NEW.state = 'PENDING';
  changed comments;
BEGIN
  IF was_pending = is_pending THEN
    RETURN NULL;
  END IF;
  IF TG_OP = 'DELETE' THEN
    changed := OLD;
  ELSE
    changed := NEW;
  END IF;
  PERFORM pg_notify('comment_queue', json_build_object(
    'kind', CASE WHEN is_pending THEN 'ENTERED' ELSE 'LEFT' END,
    'id', changed.id,
    'thread', changed.thread,
    'state', CASE WHEN TG_OP = 'DELETE' THEN '' ELSE changed.state END,
    'actor', coalesce(nullif(current_setting('comments.actor', true), ''),
                      'auto'),
    'time_us', (extract(epoch FROM now()) * 1000000)::int8)::text);
  RETURN NULL;
END;
$$;

CREATE TRIGGER comments_queue_notify_insert
  AFTER INSERT ON comments
  FOR EACH ROW EXECUTE FUNCTION comments_queue_notify();

CREATE TRIGGER comments_queue_notify_update
  AFTER UPDATE OF state ON comments
  FOR EACH ROW EXECUTE FUNCTION comments_queue_notify();

CREATE TRIGGER comments_queue_notify_delete
  AFTER DELETE ON comments
  FOR EACH ROW EXECUTE FUNCTION comments_queue_notify();
