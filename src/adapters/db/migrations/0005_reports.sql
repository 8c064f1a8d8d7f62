-- Measuring procedure times (art. 1 c.28 L. 190/2012; art. 35 D.Lgs. 33/2013): the per-case figures that the
-- deadline engine derives from the events, kept next to the case so that reports are plain SQL aggregates.
-- They are written in the same transaction as each event (recordEvent) and by the bulk generator; cases that
-- existed before this migration have figures_at NULL and are derived on first use (application/reports/figures.ts).

-- Calendar days the clock was stopped (L. 241/1990 art. 2 c.7, art. 10-bis, special laws), as computed by the
-- engine: the net duration of a closed case is (closed_on - received_on - suspended_days), art. 2 c.9-quinquies.
ALTER TABLE cases ADD COLUMN suspended_days integer;
ALTER TABLE cases ADD COLUMN figures_at timestamptz;
-- Rows existing now stay NULL (to be derived); a newly enrolled case has no events yet, hence no suspension.
ALTER TABLE cases ALTER COLUMN suspended_days SET DEFAULT 0;
ALTER TABLE cases ALTER COLUMN figures_at SET DEFAULT now();
CREATE INDEX cases_figures_pending ON cases (id) WHERE figures_at IS NULL;

-- Each suspension or interruption with its legal effect, as the engine computed it.
CREATE TABLE case_suspensions (
  case_id       uuid NOT NULL REFERENCES cases(id),
  position      integer NOT NULL,
  office_id     uuid NOT NULL REFERENCES offices(id),        -- copied from the case: reports filter on it
  procedure_id  uuid NOT NULL REFERENCES procedures(id),
  kind          text NOT NULL CHECK (kind IN ('art2c7', 'art10bis', 'other', 'interruption')),
  from_on       date NOT NULL,
  to_on         date,                                          -- NULL: still open with no legal end
  legal_end     date,                                          -- c.7: from + 30; 10-bis: observations + 10
  days          integer,                                       -- to_on - from_on; NULL while to_on is NULL
  capped_by_law boolean NOT NULL DEFAULT false,
  no_effect     text CHECK (no_effect IN ('after-deadline', 'before-interruption')),
  PRIMARY KEY (case_id, position)
);
CREATE INDEX case_suspensions_from ON case_suspensions (from_on) INCLUDE (office_id, procedure_id, kind, days, to_on);

-- Reports select by period: cases closed, received, and whose deadline fell in it.
CREATE INDEX cases_closed_on ON cases (closed_on) INCLUDE (office_id, procedure_id, received_on, deadline, suspended_days)
  WHERE closed_on IS NOT NULL;
CREATE INDEX cases_received_on ON cases (received_on) INCLUDE (office_id, procedure_id, closed_on);
