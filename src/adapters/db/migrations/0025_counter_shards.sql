-- The counters kept by triggers (open cases, report facts, suspensions) are a few rows that every write of an
-- office's cases changes: each writer waited for the one before it to commit, so events and enrolments went one at
-- a time. Each counter is now kept in up to 16 shards. A writer changes only the shard it holds a transaction-level
-- advisory lock on, so writers running together change different rows and never wait for each other; readers sum
-- the shards through views with the tables' old names.

CREATE FUNCTION counter_shard() RETURNS smallint LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  start int := pg_backend_pid() % 16;
  step int;
BEGIN
  -- the same connection asks first for the same shard, which it already holds if it wrote a counter before
  FOR step IN 0..15 LOOP
    IF pg_try_advisory_xact_lock(hashtext('pratica counter shard'), (start + step) % 16) THEN
      RETURN ((start + step) % 16)::smallint;
    END IF;
  END LOOP;
  -- more than 16 writers at once: share a shard, waiting on its rows as before
  RETURN start::smallint;
END $$;

ALTER TABLE open_case_counts RENAME TO open_case_count_shards;
ALTER TABLE open_case_count_shards ADD COLUMN shard smallint NOT NULL DEFAULT 0;
ALTER TABLE open_case_count_shards DROP CONSTRAINT open_case_counts_key;
ALTER TABLE open_case_count_shards ADD CONSTRAINT open_case_count_shards_key UNIQUE NULLS NOT DISTINCT (office_id, state, deadline, shard);
CREATE VIEW open_case_counts AS
  SELECT office_id, state, deadline, sum(cases)::int AS cases FROM open_case_count_shards GROUP BY office_id, state, deadline;

ALTER TABLE case_report_counts RENAME TO case_report_count_shards;
ALTER TABLE case_report_count_shards ADD COLUMN shard smallint NOT NULL DEFAULT 0;
ALTER TABLE case_report_count_shards DROP CONSTRAINT case_report_counts_key;
ALTER TABLE case_report_count_shards ADD CONSTRAINT case_report_count_shards_key
  UNIQUE NULLS NOT DISTINCT (measure, on_day, office_id, procedure_id, days, shard);
CREATE VIEW case_report_counts AS
  SELECT measure, on_day, office_id, procedure_id, days, sum(cases)::int AS cases
  FROM case_report_count_shards GROUP BY measure, on_day, office_id, procedure_id, days;

ALTER TABLE suspension_report_counts RENAME TO suspension_report_count_shards;
ALTER TABLE suspension_report_count_shards ADD COLUMN shard smallint NOT NULL DEFAULT 0;
ALTER TABLE suspension_report_count_shards DROP CONSTRAINT suspension_report_counts_key;
ALTER TABLE suspension_report_count_shards ADD CONSTRAINT suspension_report_count_shards_key
  UNIQUE (kind, from_on, office_id, procedure_id, shard);
CREATE VIEW suspension_report_counts AS
  SELECT kind, from_on, office_id, procedure_id, sum(suspensions)::int AS suspensions, sum(days)::int8 AS days
  FROM suspension_report_count_shards GROUP BY kind, from_on, office_id, procedure_id;

-- The same triggers' functions, each statement writing its changes into the writer's shard, still in key order.
CREATE OR REPLACE FUNCTION open_case_counts_follow() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  mine smallint := counter_shard();
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO open_case_count_shards AS counted (office_id, state, deadline, shard, cases)
      SELECT office_id, state, deadline, mine, count(*)::int FROM new_cases WHERE state <> 'closed' GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
      ON CONFLICT ON CONSTRAINT open_case_count_shards_key DO UPDATE SET cases = counted.cases + EXCLUDED.cases;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO open_case_count_shards AS counted (office_id, state, deadline, shard, cases)
      SELECT office_id, state, deadline, mine, -count(*)::int FROM old_cases WHERE state <> 'closed' GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
      ON CONFLICT ON CONSTRAINT open_case_count_shards_key DO UPDATE SET cases = counted.cases + EXCLUDED.cases;
  ELSE
    INSERT INTO open_case_count_shards AS counted (office_id, state, deadline, shard, cases)
      SELECT office_id, state, deadline, mine, sum(delta)::int
      FROM (SELECT office_id, state, deadline, 1 AS delta FROM new_cases WHERE state <> 'closed'
            UNION ALL
            SELECT office_id, state, deadline, -1 FROM old_cases WHERE state <> 'closed') AS changes
      GROUP BY 1, 2, 3 HAVING sum(delta) <> 0 ORDER BY 1, 2, 3
      ON CONFLICT ON CONSTRAINT open_case_count_shards_key DO UPDATE SET cases = counted.cases + EXCLUDED.cases;
  END IF;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION case_report_counts_add(added case_report_row[], removed case_report_row[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  mine smallint := counter_shard();
BEGIN
  INSERT INTO case_report_count_shards AS counted (measure, on_day, office_id, procedure_id, days, shard, cases)
    SELECT f.measure, f.on_day, c.office_id, c.procedure_id, f.days, mine, sum(c.delta)::int
    FROM (SELECT *, 1 AS delta FROM unnest(added) UNION ALL SELECT *, -1 FROM unnest(removed)) AS c
      CROSS JOIN LATERAL case_report_facts(c.state, c.received_on, c.closed_on, c.deadline, c.suspended_days, c.silenzio_assenso) AS f
    GROUP BY 1, 2, 3, 4, 5 HAVING sum(c.delta) <> 0 ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT ON CONSTRAINT case_report_count_shards_key DO UPDATE SET cases = counted.cases + EXCLUDED.cases;
END $$;

CREATE OR REPLACE FUNCTION suspension_report_counts_add(added suspension_report_row[], removed suspension_report_row[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  mine smallint := counter_shard();
BEGIN
  INSERT INTO suspension_report_count_shards AS counted (kind, from_on, office_id, procedure_id, shard, suspensions, days)
    SELECT s.kind, s.from_on, s.office_id, s.procedure_id, mine, sum(s.delta)::int, sum(s.delta * s.days)
    FROM (SELECT *, 1 AS delta FROM unnest(added) UNION ALL SELECT *, -1 FROM unnest(removed)) AS s
    WHERE s.days IS NOT NULL
    GROUP BY 1, 2, 3, 4 HAVING sum(s.delta) <> 0 OR sum(s.delta * s.days) <> 0 ORDER BY 1, 2, 3, 4
    ON CONFLICT ON CONSTRAINT suspension_report_count_shards_key
      DO UPDATE SET suspensions = counted.suspensions + EXCLUDED.suspensions, days = counted.days + EXCLUDED.days;
END $$;
