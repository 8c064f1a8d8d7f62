-- The indemnity for delay paid to an applicant (L. 241/1990 art. 2-bis c.1-bis; D.L. 69/2013 art. 28): each
-- payment the office records, in euro cents, with the day it was paid. What accrued is computed from the events;
-- the use case keeps the sum of the payments within it (and so within the 2,000 euro of art. 28 c.1).
CREATE TABLE indemnity_payments (
  id            uuid PRIMARY KEY,
  case_id       uuid NOT NULL REFERENCES cases(id),
  amount_cents  integer NOT NULL CHECK (amount_cents > 0),
  paid_on       date NOT NULL,
  recorded_by   text NOT NULL,
  recorded_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX indemnity_payments_case ON indemnity_payments (case_id);

-- a case's page shows what was paid: a payment drops the pages kept in memory, as an event does (migration 0006)
CREATE TRIGGER indemnity_payments_changed_insert AFTER INSERT ON indemnity_payments
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION pratica_case_changed();
