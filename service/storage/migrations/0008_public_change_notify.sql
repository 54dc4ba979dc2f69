-- Every replica keeps recent public pages and counts in memory
-- (storage/public_read_cache.h) and LISTENs on comment_public for the
-- threads whose public view changed: a comment inserted APPROVED, one
-- leaving or entering APPROVED, an APPROVED one whose public columns change
-- (an erasure renames its author; deleting a parent clears reply_to), an
-- APPROVED one deleted. The payload is the thread. PostgreSQL sends one
-- notification per distinct payload per transaction, so a batch costs one
-- per thread, delivered after the commit.
--
-- The WHEN clauses keep the function off the rows the public never sees:
-- a PENDING insert (the common submission) evaluates one comparison and
-- nothing else.
CREATE FUNCTION comments_public_change_notify() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    PERFORM pg_notify('comment_public', OLD.thread);
  END IF;
  IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.thread <> OLD.thread) THEN
    PERFORM pg_notify('comment_public', NEW.thread);
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER comments_public_insert_notify
  AFTER INSERT ON comments
  FOR EACH ROW WHEN (NEW.state = 'APPROVED')
  EXECUTE FUNCTION comments_public_change_notify();

-- What ListApproved reads (COMMENTS_PUBLIC_COMMENT_COLUMNS), for a row
-- that is APPROVED before or after.
CREATE TRIGGER comments_public_update_notify
  AFTER UPDATE ON comments
  FOR EACH ROW WHEN (
    (OLD.state = 'APPROVED' OR NEW.state = 'APPROVED') AND (
      OLD.state IS DISTINCT FROM NEW.state
      OR (OLD.thread, OLD.author_name, OLD.author_url, OLD.body,
          OLD.reply_to, OLD.create_time, OLD.seq)
         IS DISTINCT FROM
         (NEW.thread, NEW.author_name, NEW.author_url, NEW.body,
          NEW.reply_to, NEW.create_time, NEW.seq)))
  EXECUTE FUNCTION comments_public_change_notify();

CREATE TRIGGER comments_public_delete_notify
  AFTER DELETE ON comments
  FOR EACH ROW WHEN (OLD.state = 'APPROVED')
  EXECUTE FUNCTION comments_public_change_notify();
