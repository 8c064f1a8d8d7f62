-- GDPR art. 5(1)(e): a closed case's contacts are erased after the retention period (RETENTION_CONTACTS_DAYS), and
-- the audit log holds copies of them (enrolment, contact changes, opt-out). It stays append-only but for one change:
-- removing the keys "mobile" and "email" from a case entry's before/after, every other column left as it was.
CREATE OR REPLACE FUNCTION audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE'
     AND OLD.entity = 'case'
     AND (NEW.id, NEW.at, NEW.actor, NEW.action, NEW.entity, NEW.entity_id, NEW.office_id)
         IS NOT DISTINCT FROM (OLD.id, OLD.at, OLD.actor, OLD.action, OLD.entity, OLD.entity_id, OLD.office_id)
     AND NEW.before IS NOT DISTINCT FROM (CASE WHEN jsonb_typeof(OLD.before) = 'object' THEN OLD.before - 'mobile' - 'email' ELSE OLD.before END)
     AND NEW.after IS NOT DISTINCT FROM (CASE WHEN jsonb_typeof(OLD.after) = 'object' THEN OLD.after - 'mobile' - 'email' ELSE OLD.after END)
  THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
