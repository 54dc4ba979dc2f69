-- The service connects as a role of its own that owns nothing: only an
-- owner may ALTER a table (DISABLE TRIGGER among it) or DROP it, so the
-- audit trail's triggers bind the service for good. The role that runs the
-- migrations owns every object; the service role gets row privileges only.
--
-- The role's name comes from comments.service_role, set by the migration
-- runner for this transaction (comments_server migrate --service_role);
-- without the setting (this file applied by hand) it is comments_service.
-- A missing role is created, able to log in but without a password
-- (`migrate --service_password_file` sets one); that needs CREATEROLE.
DO $$
DECLARE
  service text := coalesce(
    nullif(current_setting('comments.service_role', true), ''),
    'comments_service');
BEGIN
  IF service = current_user THEN
    RAISE EXCEPTION 'the service role "%" is the role running the migrations',
      service
      USING HINT = 'Run the migrations as the owner of the schema and give '
                   'the service a role of its own.';
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = service) THEN
    -- Roles belong to the cluster, not the database: another database
    -- migrating at the same moment may create it first.
    BEGIN
      EXECUTE format('CREATE ROLE %I LOGIN', service);
    EXCEPTION WHEN duplicate_object OR unique_violation THEN
      NULL;
    END;
  END IF;
  EXECUTE format(
    'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO %I',
    service);
  -- The audit trail is append-only: read and add, nothing else.
  EXECUTE format('REVOKE UPDATE, DELETE ON moderation_events FROM %I', service);
  -- Moderator names are never reused: accounts are revoked, not deleted.
  EXECUTE format('REVOKE DELETE ON moderators FROM %I', service);
  -- The service only checks which migrations are applied. (The table is
  -- missing when these files are applied by hand, as the benchmark does.)
  IF to_regclass('schema_migrations') IS NOT NULL THEN
    EXECUTE format(
      'REVOKE INSERT, UPDATE, DELETE ON schema_migrations FROM %I', service);
  END IF;
  EXECUTE format(
    'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO %I', service);
  -- Tables and sequences that later migrations create (as this same owner)
  -- get the same row privileges without a GRANT of their own. A later
  -- migration that must narrow them (another append-only table) REVOKEs,
  -- as above.
  EXECUTE format(
    'ALTER DEFAULT PRIVILEGES IN SCHEMA public'
    ' GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO %I', service);
  EXECUTE format(
    'ALTER DEFAULT PRIVILEGES IN SCHEMA public'
    ' GRANT USAGE, SELECT ON SEQUENCES TO %I', service);
END;
$$;
