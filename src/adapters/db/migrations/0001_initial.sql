-- The administration, its offices, staff and procedure cards; citizens' cases and their events;
-- API tokens, idempotency keys and the append-only audit log.

CREATE TABLE administrations (
  id           uuid PRIMARY KEY,
  code         text NOT NULL UNIQUE CHECK (code ~ '^[A-Z]{2,4}$'),  -- prefix of case codes, e.g. FC
  name         text NOT NULL,
  pec          text,
  website      text,
  support_email text,
  demo         boolean NOT NULL DEFAULT false,
  created_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE offices (
  id             uuid PRIMARY KEY,
  administration_id uuid NOT NULL REFERENCES administrations(id),
  code           text NOT NULL UNIQUE CHECK (code ~ '^[A-Z0-9][A-Z0-9-]{1,31}$'),
  name           text NOT NULL,
  address        text NOT NULL,
  phone          text,
  email          text,
  pec            text,
  opening_hours  text,
  demo           boolean NOT NULL DEFAULT false,
  created_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE staff (
  id             uuid PRIMARY KEY,
  office_id      uuid REFERENCES offices(id),
  name           text NOT NULL,
  role           text NOT NULL CHECK (role IN ('admin', 'office-manager', 'case-officer')),
  email          text NOT NULL UNIQUE,
  phone          text,
  password_hash  text,
  active         boolean NOT NULL DEFAULT true,
  demo           boolean NOT NULL DEFAULT false,
  created_at     timestamptz NOT NULL DEFAULT now(),
  CHECK (role = 'admin' OR office_id IS NOT NULL)
);

CREATE TABLE procedures (
  id                     uuid PRIMARY KEY,
  code                   text NOT NULL UNIQUE,
  office_id              uuid NOT NULL REFERENCES offices(id),
  responsible_staff_id   uuid NOT NULL REFERENCES staff(id),
  name                   text NOT NULL,
  description            text NOT NULL DEFAULT '',
  legal_basis            text NOT NULL DEFAULT '',
  term_text              text NOT NULL,             -- as written on the card
  term_amount            integer,                   -- parsed; NULL when the card has no numeric term
  term_unit              text CHECK (term_unit IN ('calendar-days', 'working-days', 'months')),
  saturday_working       boolean NOT NULL DEFAULT false,
  saturday_moves_deadline boolean NOT NULL DEFAULT false,
  silenzio_assenso       boolean NOT NULL DEFAULT false,
  substitute_name        text NOT NULL DEFAULT '',  -- art. 2 c.9-bis L. 241/1990
  substitute_contact     text NOT NULL DEFAULT '',
  active                 boolean NOT NULL DEFAULT true,
  demo                   boolean NOT NULL DEFAULT false,
  created_at             timestamptz NOT NULL DEFAULT now(),
  CHECK ((term_amount IS NULL) = (term_unit IS NULL))
);
CREATE INDEX procedures_office ON procedures (office_id);

CREATE TABLE local_days (
  id        uuid PRIMARY KEY,
  month     integer NOT NULL CHECK (month BETWEEN 1 AND 12),
  day       integer NOT NULL CHECK (day BETWEEN 1 AND 31),
  name      text NOT NULL,
  UNIQUE (month, day)
);

CREATE TABLE cases (
  id                 uuid PRIMARY KEY,
  code               text NOT NULL UNIQUE,
  procedure_id       uuid NOT NULL REFERENCES procedures(id),
  office_id          uuid NOT NULL REFERENCES offices(id),  -- copied from the procedure: every query is scoped by it
  subject            text NOT NULL,
  applicant_name     text NOT NULL,
  received_on        date NOT NULL,                         -- protocol date: the term runs from here
  protocol_number    text NOT NULL DEFAULT '',
  mobile             text,                                  -- E.164
  email              text,
  notify_sms         boolean NOT NULL DEFAULT false,
  notify_email       boolean NOT NULL DEFAULT false,
  state              text NOT NULL CHECK (state IN ('enrolled', 'in-progress', 'suspended', 'resumed', 'closed')),
  deadline           date,                                  -- NULL while an open-ended suspension lasts
  deadline_provisional boolean NOT NULL DEFAULT false,
  outcome            text,
  closed_on          date,
  password_hash      text NOT NULL,
  opted_out_at       timestamptz,
  version            integer NOT NULL DEFAULT 1,            -- optimistic concurrency
  demo               boolean NOT NULL DEFAULT false,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  CHECK (NOT notify_sms OR mobile IS NOT NULL),
  CHECK (NOT notify_email OR email IS NOT NULL)
);
CREATE INDEX cases_office_state_deadline ON cases (office_id, state, deadline);
CREATE INDEX cases_office_created ON cases (office_id, created_at DESC, id DESC);
CREATE INDEX cases_created ON cases (created_at DESC, id DESC);
CREATE INDEX cases_procedure ON cases (procedure_id);

CREATE TABLE case_events (
  id               bigserial PRIMARY KEY,
  case_id          uuid NOT NULL REFERENCES cases(id),
  seq              integer NOT NULL,
  type             text NOT NULL CHECK (type IN ('start', 'suspend', 'resume', 'observations', 'close')),
  effective_on     date NOT NULL,
  recorded_at      timestamptz NOT NULL DEFAULT now(),
  recorded_by      text NOT NULL,
  reason           text NOT NULL DEFAULT '',
  notes            text NOT NULL DEFAULT '',
  suspension_kind  text CHECK (suspension_kind IN ('art2c7', 'art10bis', 'other', 'interruption')),
  legal_basis      text,
  outcome          text CHECK (outcome IN ('accepted', 'rejected', 'withdrawn', 'other')),
  UNIQUE (case_id, seq),
  CHECK ((type = 'suspend') = (suspension_kind IS NOT NULL)),
  CHECK ((type = 'close') = (outcome IS NOT NULL))
);

CREATE TABLE api_tokens (
  id           uuid PRIMARY KEY,
  name         text NOT NULL,
  office_id    uuid REFERENCES offices(id),                -- NULL: every office
  token_hash   text NOT NULL UNIQUE,                       -- sha256 of a 256-bit random token
  created_at   timestamptz NOT NULL DEFAULT now(),
  revoked_at   timestamptz
);

CREATE TABLE idempotency_keys (
  token_id        uuid NOT NULL REFERENCES api_tokens(id),
  key             text NOT NULL,
  request_hash    text NOT NULL,
  response_status integer,
  response_body   jsonb,
  created_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (token_id, key)
);

CREATE TABLE audit_log (
  id          bigserial PRIMARY KEY,
  at          timestamptz NOT NULL DEFAULT now(),
  actor       text NOT NULL,           -- 'staff:<id>', 'token:<id>', 'citizen:<case code>', 'system', 'cli'
  action      text NOT NULL,
  entity      text NOT NULL,
  entity_id   text NOT NULL,
  office_id   uuid,
  before      jsonb,
  after       jsonb
);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id);

-- The audit log is append-only: the database itself refuses to change or delete a row.
CREATE FUNCTION audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_is_append_only();
