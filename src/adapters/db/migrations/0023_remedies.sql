-- The remedies of a late office. A procedure card says whether it concerns the start or exercise of a
-- business activity (L. 241/1990 art. 2-bis c.1-bis; D.L. 69/2013 art. 28: the indemnity for delay); each case
-- keeps the flag as it was at enrolment, beside its term and silenzio-assenso flag (migration 0012). The cards
-- existing today have never said so: they and their cases start without it.
ALTER TABLE procedures ADD COLUMN business_activity boolean NOT NULL DEFAULT false;
ALTER TABLE cases ADD COLUMN business_activity boolean NOT NULL DEFAULT false;

-- A new event: the day the citizen turned to the holder of the substitute power (art. 2 c.9-bis).
ALTER TABLE case_events DROP CONSTRAINT case_events_type_check;
ALTER TABLE case_events ADD CONSTRAINT case_events_type_check
  CHECK (type IN ('start', 'suspend', 'resume', 'observations', 'close', 'substitute-request'));

-- The attestations of silenzio-assenso issued on the citizen's request (art. 20 c.2-bis L. 241/1990): each
-- one is kept, with the date from which the application counts as accepted and the deadline it follows from.
CREATE TABLE silence_attestations (
  id             uuid PRIMARY KEY,
  case_id        uuid NOT NULL REFERENCES cases(id),
  deadline       date NOT NULL,
  accepted_from  date NOT NULL,
  issued_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX silence_attestations_case ON silence_attestations (case_id, issued_at);
