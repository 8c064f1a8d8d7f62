-- Tells every process, at commit, what changed that a page may show: web processes keep the pages
-- they present in memory and drop them on these notifications (LISTEN pratica_changes).
-- Payloads: 'case:<id>' for a case row or its events, 'answer:<marker>' for a questionnaire answer
-- (the anonymous marker, never the case), '*' for the catalogue (administration, offices, staff,
-- procedures, local days), which every case page shows.

CREATE FUNCTION pratica_case_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'cases' THEN
    PERFORM pg_notify('pratica_changes', 'case:' || COALESCE(NEW.id, OLD.id)::text);
  ELSE
    PERFORM pg_notify('pratica_changes', 'case:' || COALESCE(NEW.case_id, OLD.case_id)::text);
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER cases_changed AFTER UPDATE OR DELETE ON cases
  FOR EACH ROW EXECUTE FUNCTION pratica_case_changed();
CREATE TRIGGER case_events_changed AFTER INSERT OR UPDATE OR DELETE ON case_events
  FOR EACH ROW EXECUTE FUNCTION pratica_case_changed();

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
