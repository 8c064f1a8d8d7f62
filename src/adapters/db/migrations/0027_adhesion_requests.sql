-- Online adhesion requests from a procedure's public card: the applicant names the application they filed
-- with the office (its protocol number) and the contacts and channels they choose; the office checks the
-- protocol number and enrols the case, or dismisses the request. The contacts are personal data: the
-- retention job erases them once the request is handled or too old (docs/security.md).
CREATE TABLE adhesion_requests (
  id               uuid PRIMARY KEY,
  procedure_id     uuid NOT NULL REFERENCES procedures(id),
  office_id        uuid NOT NULL REFERENCES offices(id),
  applicant_name   text NOT NULL,
  protocol_number  text NOT NULL,
  protocol_date    date NOT NULL,
  fiscal_code      text,
  mobile           text,
  email            text,
  notify_sms       boolean NOT NULL DEFAULT false,
  notify_email     boolean NOT NULL DEFAULT false,
  notify_io        boolean NOT NULL DEFAULT false,
  consent_at       timestamptz NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'enrolled', 'dismissed')),
  case_id          uuid REFERENCES cases(id),
  dismiss_reason   text,
  handled_by       text,
  handled_at       timestamptz,
  contacts_erased_at timestamptz,
  CHECK ((status = 'enrolled') = (case_id IS NOT NULL)),
  CHECK ((status = 'pending') = (handled_at IS NULL))
);
CREATE INDEX adhesion_requests_pending ON adhesion_requests (office_id, created_at) WHERE status = 'pending';
