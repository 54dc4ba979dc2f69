-- A moderator's open WatchQueue streams end the moment the account stops
-- being valid, on every replica: the servers LISTEN on moderator_revoked
-- next to comment_queue. Notifications arrive in commit order on both
-- channels, so a stream ended by a revocation has been sent nothing that
-- committed after it. A trigger, not the revoke statement, so that a change
-- made by a script or by hand ends the streams too.
CREATE FUNCTION moderators_revoke_notify() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.revoke_time IS NULL AND (TG_OP = 'DELETE'
      OR NEW.revoke_time IS NOT NULL
      OR NEW.token_hash <> OLD.token_hash
      OR NEW.name <> OLD.name) THEN
    PERFORM pg_notify('moderator_revoked', OLD.name);
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER moderators_revoke_notify
  AFTER UPDATE OR DELETE ON moderators
  FOR EACH ROW EXECUTE FUNCTION moderators_revoke_notify();
