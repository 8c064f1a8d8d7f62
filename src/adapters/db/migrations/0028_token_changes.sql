-- Web processes keep the API tokens they have checked in memory and drop them on this notification, so a
-- revoked token is refused at once by every process. Writing a token's last use (once a minute) changes
-- nothing they keep and tells nothing.
CREATE FUNCTION pratica_tokens_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('pratica_changes', 'tokens');
  RETURN NULL;
END $$;

CREATE TRIGGER api_tokens_changed AFTER UPDATE OF token_hash, name, office_id, revoked_at OR DELETE OR TRUNCATE ON api_tokens
  FOR EACH STATEMENT EXECUTE FUNCTION pratica_tokens_changed();
