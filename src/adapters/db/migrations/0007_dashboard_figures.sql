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

CREATE FUNCTION count_open_case(p_office uuid, p_state text, p_deadline date, p_delta integer) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO open_case_counts AS counted (office_id, state, deadline, cases) VALUES (p_office, p_state, p_deadline, p_delta)
  ON CONFLICT ON CONSTRAINT open_case_counts_key DO UPDATE SET cases = counted.cases + EXCLUDED.cases
$$;

CREATE FUNCTION open_case_counts_follow() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  was_open boolean := TG_OP <> 'INSERT' AND OLD.state <> 'closed';
  is_open boolean := TG_OP <> 'DELETE' AND NEW.state <> 'closed';
BEGIN
  IF was_open AND is_open AND OLD.office_id = NEW.office_id AND OLD.state = NEW.state AND OLD.deadline IS NOT DISTINCT FROM NEW.deadline THEN
    RETURN NULL;
  END IF;
  -- two counters change: always the smaller key first, so two writers never wait for each other in a cycle
  IF was_open AND is_open AND (NEW.office_id::text, NEW.state, coalesce(NEW.deadline::text, ''))
                              < (OLD.office_id::text, OLD.state, coalesce(OLD.deadline::text, '')) THEN
    PERFORM count_open_case(NEW.office_id, NEW.state, NEW.deadline, 1);
    PERFORM count_open_case(OLD.office_id, OLD.state, OLD.deadline, -1);
    RETURN NULL;
  END IF;
  IF was_open THEN
    PERFORM count_open_case(OLD.office_id, OLD.state, OLD.deadline, -1);
  END IF;
  IF is_open THEN
    PERFORM count_open_case(NEW.office_id, NEW.state, NEW.deadline, 1);
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER cases_open_counts AFTER INSERT OR UPDATE OF state, deadline, office_id OR DELETE ON cases
  FOR EACH ROW EXECUTE FUNCTION open_case_counts_follow();

INSERT INTO open_case_counts (office_id, state, deadline, cases)
  SELECT office_id, state, deadline, count(*)::int FROM cases WHERE state <> 'closed' GROUP BY 1, 2, 3;

-- 2. The suspension a case is in (kind and first day), from its last suspend event until a resume or
-- the closure: the c.7 suspensions past 30 days are then an index range, not a look at every suspended case.
ALTER TABLE cases ADD COLUMN open_suspension_kind text;
ALTER TABLE cases ADD COLUMN open_suspension_since date;

CREATE FUNCTION open_suspension_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.type = 'suspend' THEN
    UPDATE cases SET open_suspension_kind = NEW.suspension_kind, open_suspension_since = NEW.effective_on WHERE id = NEW.case_id;
  ELSIF NEW.type IN ('resume', 'close') THEN
    UPDATE cases SET open_suspension_kind = NULL, open_suspension_since = NULL
      WHERE id = NEW.case_id AND open_suspension_kind IS NOT NULL;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER case_events_open_suspension AFTER INSERT ON case_events
  FOR EACH ROW EXECUTE FUNCTION open_suspension_follow();

UPDATE cases SET open_suspension_kind = last.suspension_kind, open_suspension_since = last.effective_on
  FROM (SELECT DISTINCT ON (case_id) case_id, suspension_kind, effective_on FROM case_events
        WHERE type = 'suspend' ORDER BY case_id, seq DESC) AS last
  WHERE cases.id = last.case_id AND cases.state = 'suspended';

CREATE INDEX cases_open_c7_since ON cases (open_suspension_since) INCLUDE (office_id)
  WHERE state = 'suspended' AND open_suspension_kind = 'art2c7';
