-- The anonymous questionnaire, anonymous against a copy of the database too. An answer written in the transaction
-- of its case's marker shares the marker's transaction id (xmin) and its place in the physical order of the rows,
-- so whoever holds the database and SESSION_SECRET could tie the answer to its case. Now the submission writes the
-- marker and, apart, the answer into this holding table; the worker's job (src/application/portal/questionnaire.ts)
-- rewrites the table in shuffled order in a transaction of its own, and moves the answers of the months that have
-- ended into questionnaire_answers, shuffled too. docs/security.md says what remains (the write-ahead log).
CREATE TABLE questionnaire_held_answers (
  month         date NOT NULL CHECK (extract(day FROM month) = 1),
  office_id     uuid REFERENCES offices(id),
  procedure_id  uuid REFERENCES procedures(id),
  clarity       smallint NOT NULL CHECK (clarity BETWEEN 1 AND 5),
  timeliness    smallint NOT NULL CHECK (timeliness BETWEEN 1 AND 5),
  courtesy      smallint NOT NULL CHECK (courtesy BETWEEN 1 AND 5),
  overall       smallint NOT NULL CHECK (overall BETWEEN 1 AND 5),
  comment       text NOT NULL DEFAULT '' CHECK (length(comment) <= 1000),
  -- false until the job has rewritten the row: its xmin is still its marker's
  shuffled      boolean NOT NULL DEFAULT false
);

-- The marker's notification named the marker ('answer:<marker>'): a listener could keep it. Now it carries
-- nothing; the case pages that still offer the questionnaire are dropped (src/application/case-cache.ts).
DROP TRIGGER questionnaire_markers_changed ON questionnaire_markers;
DROP FUNCTION pratica_answer_given();
CREATE FUNCTION pratica_answer_given() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('pratica_changes', 'answer');
  RETURN NULL;
END $$;
CREATE TRIGGER questionnaire_markers_changed AFTER INSERT ON questionnaire_markers
  FOR EACH STATEMENT EXECUTE FUNCTION pratica_answer_given();

-- The answers given so far share their marker's xmin: written again, shuffled, with new ids, in this migration's
-- transaction. TRUNCATE gives the table a new file, so the old row versions do not stay behind as dead tuples.
CREATE TEMPORARY TABLE answers_before AS
  SELECT month, office_id, procedure_id, clarity, timeliness, courtesy, overall, comment FROM questionnaire_answers;
TRUNCATE questionnaire_answers;
INSERT INTO questionnaire_answers (id, month, office_id, procedure_id, clarity, timeliness, courtesy, overall, comment)
  SELECT gen_random_uuid(), month, office_id, procedure_id, clarity, timeliness, courtesy, overall, comment
  FROM answers_before ORDER BY 1;
DROP TABLE answers_before;
