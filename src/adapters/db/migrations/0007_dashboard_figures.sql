-- The back-office dashboard at a million cases (issue 5: p99 under 100 ms): its counts and its list of
-- c.7 suspensions past 30 days no longer scan the open cases. Both are kept by triggers in the writer's
-- transaction, so every path that writes cases or events (use cases, import, generator) keeps them right.

-- 1. Open cases counted by office, state and deadline day: the dashboard sums a few thousand rows.
CREATE TABLE open_case_counts (
  office_id  uuid NOT NULL REFERENCES offices(id),
  state      text NOT NULL,
  deadline   date,
  cases      integer NOT NULL,
  CONSTRAINT open_case_counts_key UNIQUE NULLS NOT DISTINCT (office_id, state, deadline)
);

-- Statement-level, on the transition tables: an import or a bulk insert changes each counter once, not
-- once per row. Counters are changed in key order, so two writers never wait for each other in a cycle.
CREATE FUNCTION open_case_counts_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO open_case_counts AS counted (office_id, state, deadline, cases)
      SELECT office_id, state, deadline, count(*)::int FROM new_cases WHERE state <> 'closed' GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
      ON CONFLICT ON CONSTRAINT open_case_counts_key DO UPDATE SET cases = counted.cases + EXCLUDED.cases;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO open_case_counts AS counted (office_id, state, deadline, cases)
      SELECT office_id, state, deadline, -count(*)::int FROM old_cases WHERE state <> 'closed' GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
      ON CONFLICT ON CONSTRAINT open_case_counts_key DO UPDATE SET cases = counted.cases + EXCLUDED.cases;
  ELSE
    INSERT INTO open_case_counts AS counted (office_id, state, deadline, cases)
      SELECT office_id, state, deadline, sum(delta)::int
      FROM (SELECT office_id, state, deadline, 1 AS delta FROM new_cases WHERE state <> 'closed'
            UNION ALL
            SELECT office_id, state, deadline, -1 FROM old_cases WHERE state <> 'closed') AS changes
      GROUP BY 1, 2, 3 HAVING sum(delta) <> 0 ORDER BY 1, 2, 3
      ON CONFLICT ON CONSTRAINT open_case_counts_key DO UPDATE SET cases = counted.cases + EXCLUDED.cases;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER cases_open_counts_insert AFTER INSERT ON cases
  REFERENCING NEW TABLE AS new_cases FOR EACH STATEMENT EXECUTE FUNCTION open_case_counts_follow();
CREATE TRIGGER cases_open_counts_update AFTER UPDATE ON cases
  REFERENCING OLD TABLE AS old_cases NEW TABLE AS new_cases FOR EACH STATEMENT EXECUTE FUNCTION open_case_counts_follow();
CREATE TRIGGER cases_open_counts_delete AFTER DELETE ON cases
  REFERENCING OLD TABLE AS old_cases FOR EACH STATEMENT EXECUTE FUNCTION open_case_counts_follow();

INSERT INTO open_case_counts (office_id, state, deadline, cases)
  SELECT office_id, state, deadline, count(*)::int FROM cases WHERE state <> 'closed' GROUP BY 1, 2, 3;

-- 2. The suspension a case is in (kind and first day), from its last suspend event until a resume or
-- the closure: the c.7 suspensions past 30 days are then an index range, not a look at every suspended case.
ALTER TABLE cases ADD COLUMN open_suspension_kind text;
ALTER TABLE cases ADD COLUMN open_suspension_since date;

CREATE FUNCTION open_suspension_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- per case, the last of the new events that opens or ends a suspension decides
  UPDATE cases
    SET open_suspension_kind = CASE WHEN last.type = 'suspend' THEN last.suspension_kind END,
        open_suspension_since = CASE WHEN last.type = 'suspend' THEN last.effective_on END
    FROM (SELECT DISTINCT ON (case_id) case_id, type, suspension_kind, effective_on FROM new_events
          WHERE type IN ('suspend', 'resume', 'close') ORDER BY case_id, seq DESC) AS last
    WHERE cases.id = last.case_id
      AND (cases.open_suspension_kind IS DISTINCT FROM CASE WHEN last.type = 'suspend' THEN last.suspension_kind END
        OR cases.open_suspension_since IS DISTINCT FROM CASE WHEN last.type = 'suspend' THEN last.effective_on END);
  RETURN NULL;
END $$;

CREATE TRIGGER case_events_open_suspension AFTER INSERT ON case_events
  REFERENCING NEW TABLE AS new_events FOR EACH STATEMENT EXECUTE FUNCTION open_suspension_follow();

UPDATE cases SET open_suspension_kind = last.suspension_kind, open_suspension_since = last.effective_on
  FROM (SELECT DISTINCT ON (case_id) case_id, suspension_kind, effective_on FROM case_events
        WHERE type = 'suspend' ORDER BY case_id, seq DESC) AS last
  WHERE cases.id = last.case_id AND cases.state = 'suspended';

CREATE INDEX cases_open_c7_since ON cases (open_suspension_since) INCLUDE (office_id)
  WHERE state = 'suspended' AND open_suspension_kind = 'art2c7';
