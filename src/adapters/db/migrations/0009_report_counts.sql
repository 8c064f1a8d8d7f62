-- The times report at a million cases (issue 6: each report for one year, all offices, under 1 s): its
-- figures are sums over counters kept by triggers in the writer's transaction, not aggregates over every
-- case of the period. The counters are exact, not estimates: the medians come from counts of each number
-- of days, and application/reports/times.ts reads the cases themselves for the days of a partial month.
-- test/reports/sql-vs-memory.test.ts checks every figure against a computation over the cases in memory.

-- 1. What one case contributes to the reports, in one place: the triggers, the first filling below and
-- the partial months of a report all read the facts from here.
--   received         on the protocol date
--   closed           on the closing date (or the protocol date, if earlier): "open at the end of a period"
--                    is received by then minus closed by then
--   open             an open case on its deadline (NULL while an open-ended suspension lasts)
--   deadline-missed  on its deadline, a case not closed by then (silenzio-assenso, art. 20 L. 241/1990)
--   gross, net       a closed case in the month of its closing, with its days from receipt to closing,
--                    gross and net of the days the clock stood still (art. 2 c.9-quinquies L. 241/1990)
--   on-time, late    the same, closed by the deadline or after it, with the days of delay
CREATE FUNCTION case_report_facts(state text, received_on date, closed_on date, deadline date, suspended_days integer)
  RETURNS TABLE (measure text, on_day date, days integer) LANGUAGE sql IMMUTABLE AS $$
  SELECT 'received', received_on, 0
  UNION ALL SELECT 'closed', greatest(closed_on, received_on), 0 WHERE closed_on IS NOT NULL
  UNION ALL SELECT 'open', deadline, 0 WHERE state <> 'closed'
  UNION ALL SELECT 'deadline-missed', deadline, 0 WHERE deadline IS NOT NULL AND (closed_on IS NULL OR closed_on > deadline)
  UNION ALL SELECT 'gross', date_trunc('month', closed_on)::date, closed_on - received_on WHERE closed_on IS NOT NULL
  UNION ALL SELECT 'net', date_trunc('month', closed_on)::date, closed_on - received_on - suspended_days
    WHERE closed_on IS NOT NULL AND suspended_days IS NOT NULL
  UNION ALL SELECT 'on-time', date_trunc('month', closed_on)::date, 0 WHERE closed_on <= deadline
  UNION ALL SELECT 'late', date_trunc('month', closed_on)::date, closed_on - deadline WHERE closed_on > deadline
$$;

-- Cases counted by fact, day (or month), office, procedure and number of days. A counter that falls to 0
-- stays, as in open_case_counts (migration 0007); readers skip it.
CREATE TABLE case_report_counts (
  measure       text NOT NULL,
  on_day        date,
  office_id     uuid NOT NULL REFERENCES offices(id),
  procedure_id  uuid NOT NULL REFERENCES procedures(id),
  days          integer NOT NULL,
  cases         integer NOT NULL,
  CONSTRAINT case_report_counts_key UNIQUE NULLS NOT DISTINCT (measure, on_day, office_id, procedure_id, days)
);

-- What of a case the facts depend on; the triggers pass the changed cases to case_report_counts_add as it.
CREATE TYPE case_report_row AS
  (office_id uuid, procedure_id uuid, state text, received_on date, closed_on date, deadline date, suspended_days integer);

CREATE FUNCTION case_report_row(c cases) RETURNS case_report_row LANGUAGE sql IMMUTABLE AS $$
  SELECT ROW(c.office_id, c.procedure_id, c.state, c.received_on, c.closed_on, c.deadline, c.suspended_days)::case_report_row
$$;

-- The cases as they were count -1, as they are +1. Each statement changes counters in key order; two
-- transactions that change them in several statements can still deadlock, and PostgreSQL then rolls one
-- back, which the application runs again (application/transaction.ts). Static SQL in PL/pgSQL, so its plan
-- is kept per connection: built with EXECUTE on every statement, it cost 2.5 ms per UPDATE of a case.
CREATE FUNCTION case_report_counts_add(added case_report_row[], removed case_report_row[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO case_report_counts AS counted (measure, on_day, office_id, procedure_id, days, cases)
    SELECT f.measure, f.on_day, c.office_id, c.procedure_id, f.days, sum(c.delta)::int
    FROM (SELECT *, 1 AS delta FROM unnest(added) UNION ALL SELECT *, -1 FROM unnest(removed)) AS c
      CROSS JOIN LATERAL case_report_facts(c.state, c.received_on, c.closed_on, c.deadline, c.suspended_days) AS f
    GROUP BY 1, 2, 3, 4, 5 HAVING sum(c.delta) <> 0 ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT ON CONSTRAINT case_report_counts_key DO UPDATE SET cases = counted.cases + EXCLUDED.cases;
END $$;

-- Statement-level, on the transition tables, like migration 0007: a bulk write changes each counter once,
-- and an update that leaves the reported columns alone (most of them) changes none.
CREATE FUNCTION case_report_counts_follow() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  added case_report_row[] := '{}';
  removed case_report_row[] := '{}';
BEGIN
  IF TG_OP = 'INSERT' THEN
    added := ARRAY(SELECT case_report_row(n) FROM new_cases n);
  ELSIF TG_OP = 'DELETE' THEN
    removed := ARRAY(SELECT case_report_row(o) FROM old_cases o);
  ELSE
    SELECT coalesce(array_agg(case_report_row(n)), '{}'), coalesce(array_agg(case_report_row(o)), '{}') INTO added, removed
      FROM new_cases n JOIN old_cases o ON o.id = n.id
      WHERE case_report_row(n) IS DISTINCT FROM case_report_row(o);
  END IF;
  IF cardinality(added) + cardinality(removed) > 0 THEN PERFORM case_report_counts_add(added, removed); END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER cases_report_counts_insert AFTER INSERT ON cases
  REFERENCING NEW TABLE AS new_cases FOR EACH STATEMENT EXECUTE FUNCTION case_report_counts_follow();
CREATE TRIGGER cases_report_counts_update AFTER UPDATE ON cases
  REFERENCING OLD TABLE AS old_cases NEW TABLE AS new_cases FOR EACH STATEMENT EXECUTE FUNCTION case_report_counts_follow();
CREATE TRIGGER cases_report_counts_delete AFTER DELETE ON cases
  REFERENCING OLD TABLE AS old_cases FOR EACH STATEMENT EXECUTE FUNCTION case_report_counts_follow();

-- The counters as a count made afresh would give them: the first filling below, and `pratica report-counts`,
-- which compares them and, if asked, puts them right (application/reports/counters.ts).
CREATE VIEW case_report_counts_expected AS
  SELECT f.measure, f.on_day, c.office_id, c.procedure_id, f.days, count(*)::int AS cases
  FROM cases c CROSS JOIN LATERAL case_report_facts(c.state, c.received_on, c.closed_on, c.deadline, c.suspended_days) AS f
  GROUP BY 1, 2, 3, 4, 5;

INSERT INTO case_report_counts (measure, on_day, office_id, procedure_id, days, cases)
  SELECT measure, on_day, office_id, procedure_id, days, cases FROM case_report_counts_expected;

-- 2. Ended suspensions and interruptions counted by kind, first day, office and procedure, with their
-- days. The ones still open without an end are few and their days grow every day: the report reads them
-- from case_suspensions (through the partial index below).
CREATE TABLE suspension_report_counts (
  kind          text NOT NULL,
  from_on       date NOT NULL,
  office_id     uuid NOT NULL REFERENCES offices(id),
  procedure_id  uuid NOT NULL REFERENCES procedures(id),
  suspensions   integer NOT NULL,
  days          bigint NOT NULL,
  CONSTRAINT suspension_report_counts_key UNIQUE (kind, from_on, office_id, procedure_id)
);

CREATE TYPE suspension_report_row AS (kind text, from_on date, office_id uuid, procedure_id uuid, days integer);

CREATE FUNCTION suspension_report_row(s case_suspensions) RETURNS suspension_report_row LANGUAGE sql IMMUTABLE AS $$
  SELECT ROW(s.kind, s.from_on, s.office_id, s.procedure_id, s.days)::suspension_report_row
$$;

-- As case_report_counts_add: -1 as they were, +1 as they are, in key order, a plan kept per connection.
CREATE FUNCTION suspension_report_counts_add(added suspension_report_row[], removed suspension_report_row[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO suspension_report_counts AS counted (kind, from_on, office_id, procedure_id, suspensions, days)
    SELECT s.kind, s.from_on, s.office_id, s.procedure_id, sum(s.delta)::int, sum(s.delta * s.days)
    FROM (SELECT *, 1 AS delta FROM unnest(added) UNION ALL SELECT *, -1 FROM unnest(removed)) AS s
    WHERE s.days IS NOT NULL
    GROUP BY 1, 2, 3, 4 HAVING sum(s.delta) <> 0 OR sum(s.delta * s.days) <> 0 ORDER BY 1, 2, 3, 4
    ON CONFLICT ON CONSTRAINT suspension_report_counts_key
      DO UPDATE SET suspensions = counted.suspensions + EXCLUDED.suspensions, days = counted.days + EXCLUDED.days;
END $$;

CREATE FUNCTION suspension_report_counts_follow() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  added suspension_report_row[] := '{}';
  removed suspension_report_row[] := '{}';
BEGIN
  IF TG_OP IN ('INSERT', 'UPDATE') THEN added := ARRAY(SELECT suspension_report_row(n) FROM new_suspensions n); END IF;
  IF TG_OP IN ('DELETE', 'UPDATE') THEN removed := ARRAY(SELECT suspension_report_row(o) FROM old_suspensions o); END IF;
  IF cardinality(added) + cardinality(removed) > 0 THEN PERFORM suspension_report_counts_add(added, removed); END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER case_suspensions_report_counts_insert AFTER INSERT ON case_suspensions
  REFERENCING NEW TABLE AS new_suspensions FOR EACH STATEMENT EXECUTE FUNCTION suspension_report_counts_follow();
CREATE TRIGGER case_suspensions_report_counts_update AFTER UPDATE ON case_suspensions
  REFERENCING OLD TABLE AS old_suspensions NEW TABLE AS new_suspensions FOR EACH STATEMENT EXECUTE FUNCTION suspension_report_counts_follow();
CREATE TRIGGER case_suspensions_report_counts_delete AFTER DELETE ON case_suspensions
  REFERENCING OLD TABLE AS old_suspensions FOR EACH STATEMENT EXECUTE FUNCTION suspension_report_counts_follow();

CREATE VIEW suspension_report_counts_expected AS
  SELECT kind, from_on, office_id, procedure_id, count(*)::int AS suspensions, sum(days) AS days
  FROM case_suspensions WHERE days IS NOT NULL
  GROUP BY 1, 2, 3, 4;

INSERT INTO suspension_report_counts (kind, from_on, office_id, procedure_id, suspensions, days)
  SELECT kind, from_on, office_id, procedure_id, suspensions, days FROM suspension_report_counts_expected;

CREATE INDEX case_suspensions_open ON case_suspensions (from_on) INCLUDE (office_id, procedure_id, kind) WHERE days IS NULL;
