-- Tells every process, at commit, what changed that a page may show: web processes keep the pages
-- they present in memory and drop them on these notifications (LISTEN pratica_changes).
-- Payloads: 'case:<id>' for a case row or its events, 'answer:<marker>' for a questionnaire answer
-- (the anonymous marker, never the case), '*' for the catalogue (administration, offices, staff,
-- procedures, local days), which every case page shows.

-- Statement-level, on the transition tables: a bulk insert sends one notification per case, not per row
-- (NOTIFY also folds identical payloads of one transaction into one).
CREATE FUNCTION pratica_case_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'cases' THEN
    PERFORM pg_notify('pratica_changes', 'case:' || id::text) FROM (SELECT id FROM changed_rows GROUP BY id) AS changed;
  ELSE
    PERFORM pg_notify('pratica_changes', 'case:' || case_id::text) FROM (SELECT case_id FROM changed_rows GROUP BY case_id) AS changed;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER cases_changed_update AFTER UPDATE ON cases
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION pratica_case_changed();
CREATE TRIGGER cases_changed_delete AFTER DELETE ON cases
  REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION pratica_case_changed();
CREATE TRIGGER case_events_changed_insert AFTER INSERT ON case_events
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION pratica_case_changed();
CREATE TRIGGER case_events_changed_update AFTER UPDATE ON case_events
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION pratica_case_changed();
CREATE TRIGGER case_events_changed_delete AFTER DELETE ON case_events
  REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION pratica_case_changed();

CREATE FUNCTION pratica_answer_given() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('pratica_changes', 'answer:' || NEW.marker);
  RETURN NULL;
END $$;

CREATE TRIGGER questionnaire_markers_changed AFTER INSERT ON questionnaire_markers
  FOR EACH ROW EXECUTE FUNCTION pratica_answer_given();

CREATE FUNCTION pratica_catalogue_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('pratica_changes', '*');
  RETURN NULL;
END $$;

CREATE TRIGGER administrations_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON administrations
  FOR EACH STATEMENT EXECUTE FUNCTION pratica_catalogue_changed();
CREATE TRIGGER offices_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON offices
  FOR EACH STATEMENT EXECUTE FUNCTION pratica_catalogue_changed();
-- only what pages show of staff: a sign-in (failed_logins, last_login_at) changes no page
CREATE TRIGGER staff_changed AFTER INSERT OR UPDATE OF name, phone, email OR DELETE OR TRUNCATE ON staff
  FOR EACH STATEMENT EXECUTE FUNCTION pratica_catalogue_changed();
CREATE TRIGGER procedures_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON procedures
  FOR EACH STATEMENT EXECUTE FUNCTION pratica_catalogue_changed();
CREATE TRIGGER local_days_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON local_days
  FOR EACH STATEMENT EXECUTE FUNCTION pratica_catalogue_changed();
