-- Staff back office: sign-in lockout, server-side sessions, opt-out acknowledgement, and the indexes that
-- keep the case list and the dashboard fast at a million cases.

-- Sign-in: consecutive failures lock the account for a while (brute force across IPs).
ALTER TABLE staff ADD COLUMN failed_logins integer NOT NULL DEFAULT 0;
ALTER TABLE staff ADD COLUMN locked_until timestamptz;
ALTER TABLE staff ADD COLUMN last_login_at timestamptz;

-- Sessions live on the server, so signing out (or deactivating a user) ends them at once.
CREATE TABLE staff_sessions (
  id_hash       text PRIMARY KEY,                 -- sha256 of the 256-bit id held in the signed cookie
  staff_id      uuid NOT NULL REFERENCES staff(id),
  created_at    timestamptz NOT NULL,
  expires_at    timestamptz NOT NULL,             -- absolute limit
  last_seen_at  timestamptz NOT NULL              -- idle limit
);
CREATE INDEX staff_sessions_staff ON staff_sessions (staff_id);

-- Seed section 8: the citizen leaves the service by telling the responsible; the office acknowledges it.
ALTER TABLE cases ADD COLUMN opt_out_acknowledged_at timestamptz;
ALTER TABLE cases ADD COLUMN opt_out_acknowledged_by text;
CREATE INDEX cases_opt_out_pending ON cases (office_id) WHERE opted_out_at IS NOT NULL AND opt_out_acknowledged_at IS NULL;

-- Dashboard and "overdue / due within N days": open cases only, a small fraction of the table.
CREATE INDEX cases_open_office_deadline ON cases (office_id, deadline) INCLUDE (state) WHERE state <> 'closed';
CREATE INDEX cases_open_deadline ON cases (deadline) INCLUDE (state, office_id) WHERE state <> 'closed';
CREATE INDEX cases_open_office_created ON cases (office_id, created_at DESC, id DESC) WHERE state <> 'closed';
CREATE INDEX cases_open_created ON cases (created_at DESC, id DESC) WHERE state <> 'closed';
-- Case list filters, each keeping the newest-first keyset order.
CREATE INDEX cases_office_state_created ON cases (office_id, state, created_at DESC, id DESC);
CREATE INDEX cases_state_created ON cases (state, created_at DESC, id DESC);
CREATE INDEX cases_procedure_created ON cases (procedure_id, created_at DESC, id DESC);
-- Case list sorted by deadline.
CREATE INDEX cases_office_deadline_id ON cases (office_id, deadline, id);
CREATE INDEX cases_deadline_id ON cases (deadline, id);
CREATE INDEX cases_protocol ON cases (protocol_number);

-- Search by applicant and subject (ILIKE '%...%'): trigram indexes where the server has pg_trgm.
-- The embedded database does not ship it; there the search scans, which is fine at its scale.
DO $$
BEGIN
  CREATE EXTENSION IF NOT EXISTS pg_trgm;
  CREATE INDEX cases_applicant_trgm ON cases USING gin (applicant_name gin_trgm_ops);
  CREATE INDEX cases_subject_trgm ON cases USING gin (subject gin_trgm_ops);
EXCEPTION WHEN OTHERS THEN
  RAISE NOTICE 'pg_trgm not available: case search without trigram indexes (%)', SQLERRM;
END;
$$;

CREATE INDEX audit_log_office_at ON audit_log (office_id, at DESC);
