-- 1. Case search ignores accents and case: "Logística", "LOGISTICA" and "logistica" find the same cases.
CREATE EXTENSION IF NOT EXISTS unaccent;

-- unaccent() is only STABLE (it looks its dictionary up by name), and an index expression must be IMMUTABLE:
-- naming the dictionary with its schema makes the result depend on the text alone.
CREATE FUNCTION search_text(value text) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, value)) $$;

-- The trigram indexes follow the search onto the folded text, where the server has pg_trgm.
DO $$
BEGIN
  CREATE EXTENSION IF NOT EXISTS pg_trgm;
  DROP INDEX IF EXISTS cases_applicant_trgm;
  DROP INDEX IF EXISTS cases_subject_trgm;
  CREATE INDEX cases_applicant_search_trgm ON cases USING gin (search_text(applicant_name) gin_trgm_ops);
  CREATE INDEX cases_subject_search_trgm ON cases USING gin (search_text(subject) gin_trgm_ops);
EXCEPTION WHEN OTHERS THEN
  RAISE NOTICE 'pg_trgm not available: case search without trigram indexes (%)', SQLERRM;
END;
$$;

-- 2. A back-office form sent twice (a reload of the result, a double click) writes once: its one-time token, kept
-- hashed, is recorded in the transaction of the write, with what the write made.
CREATE TABLE used_form_tokens (
  token_hash text PRIMARY KEY,
  result     text NOT NULL,
  used_at    timestamptz NOT NULL DEFAULT now()
);
