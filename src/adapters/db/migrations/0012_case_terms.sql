-- The term that binds a case is the one in force when the application was received (L. 241/1990 art. 2):
-- each case keeps its own copy of the card's term, Saturday rules and silenzio-assenso flag, taken at
-- enrolment, so that a later edit of the card changes new cases only.
ALTER TABLE cases
  ADD COLUMN term_text text,
  ADD COLUMN term_amount integer,
  ADD COLUMN term_unit text,
  ADD COLUMN saturday_working boolean,
  ADD COLUMN saturday_moves_deadline boolean,
  ADD COLUMN silenzio_assenso boolean;

-- Existing cases take their card's present term. A card already edited to a term that is not a number
-- leaves its cases without one: they get the default of art. 2 c.2 L. 241/1990, 30 days. The new columns
-- are nothing the triggers follow (counters, change feed): they sleep through the back-fill, which would
-- otherwise compare and notify every case.
ALTER TABLE cases DISABLE TRIGGER USER;
UPDATE cases c SET
  term_text = CASE WHEN p.term_amount IS NULL THEN '30 giorni' ELSE p.term_text END,
  term_amount = coalesce(p.term_amount, 30),
  term_unit = coalesce(p.term_unit, 'calendar-days'),
  saturday_working = p.saturday_working,
  saturday_moves_deadline = p.saturday_moves_deadline,
  silenzio_assenso = p.silenzio_assenso
FROM procedures p WHERE p.id = c.procedure_id;
ALTER TABLE cases ENABLE TRIGGER USER;

ALTER TABLE cases
  ALTER COLUMN term_text SET NOT NULL,
  ALTER COLUMN term_amount SET NOT NULL,
  ALTER COLUMN term_unit SET NOT NULL,
  ALTER COLUMN saturday_working SET NOT NULL,
  ALTER COLUMN saturday_moves_deadline SET NOT NULL,
  ALTER COLUMN silenzio_assenso SET NOT NULL,
  ADD CONSTRAINT cases_term_amount CHECK (term_amount > 0),
  ADD CONSTRAINT cases_term_unit CHECK (term_unit IN ('calendar-days', 'working-days', 'months'));

-- The reports counted silenzio-assenso cases by the card's present flag (migration 0009); they count them
-- by the case's own from now on, as one more fact of case_report_facts: 'silenzio-missed' is a
-- 'deadline-missed' of a case under silenzio-assenso (art. 20 L. 241/1990).
DROP VIEW case_report_counts_expected;

CREATE FUNCTION case_report_facts(state text, received_on date, closed_on date, deadline date, suspended_days integer, silenzio_assenso boolean)
  RETURNS TABLE (measure text, on_day date, days integer) LANGUAGE sql IMMUTABLE AS $$
  SELECT * FROM case_report_facts(state, received_on, closed_on, deadline, suspended_days)
  UNION ALL SELECT 'silenzio-missed', deadline, 0
    WHERE silenzio_assenso AND deadline IS NOT NULL AND (closed_on IS NULL OR closed_on > deadline)
$$;

ALTER TYPE case_report_row ADD ATTRIBUTE silenzio_assenso boolean;

CREATE OR REPLACE FUNCTION case_report_row(c cases) RETURNS case_report_row LANGUAGE sql IMMUTABLE AS $$
  SELECT ROW(c.office_id, c.procedure_id, c.state, c.received_on, c.closed_on, c.deadline, c.suspended_days, c.silenzio_assenso)::case_report_row
$$;

CREATE OR REPLACE FUNCTION case_report_counts_add(added case_report_row[], removed case_report_row[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO case_report_counts AS counted (measure, on_day, office_id, procedure_id, days, cases)
    SELECT f.measure, f.on_day, c.office_id, c.procedure_id, f.days, sum(c.delta)::int
    FROM (SELECT *, 1 AS delta FROM unnest(added) UNION ALL SELECT *, -1 FROM unnest(removed)) AS c
      CROSS JOIN LATERAL case_report_facts(c.state, c.received_on, c.closed_on, c.deadline, c.suspended_days, c.silenzio_assenso) AS f
    GROUP BY 1, 2, 3, 4, 5 HAVING sum(c.delta) <> 0 ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT ON CONSTRAINT case_report_counts_key DO UPDATE SET cases = counted.cases + EXCLUDED.cases;
END $$;

CREATE VIEW case_report_counts_expected AS
  SELECT f.measure, f.on_day, c.office_id, c.procedure_id, f.days, count(*)::int AS cases
  FROM cases c CROSS JOIN LATERAL case_report_facts(c.state, c.received_on, c.closed_on, c.deadline, c.suspended_days, c.silenzio_assenso) AS f
  GROUP BY 1, 2, 3, 4, 5;

INSERT INTO case_report_counts (measure, on_day, office_id, procedure_id, days, cases)
  SELECT measure, on_day, office_id, procedure_id, days, cases FROM case_report_counts_expected WHERE measure = 'silenzio-missed';
