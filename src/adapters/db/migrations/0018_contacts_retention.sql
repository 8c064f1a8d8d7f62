-- GDPR art. 5(1)(e): a closed case's contacts are erased after the retention period (RETENTION_CONTACTS_DAYS), and
-- the audit log holds copies of them (enrolment, contact changes, opt-out). It stays append-only but for one change:
-- removing the keys "mobile" and "email" from a case entry's before/after, every other column and key left as it was.
CREATE FUNCTION audit_log_contacts_only_removed(old_value jsonb, new_value jsonb) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
  SELECT new_value IS NOT DISTINCT FROM old_value
    OR (jsonb_typeof(old_value) = 'object' AND jsonb_typeof(new_value) = 'object'
        AND old_value @> new_value AND new_value - 'mobile' - 'email' = old_value - 'mobile' - 'email')
$$;

CREATE OR REPLACE FUNCTION audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE'
     AND OLD.entity = 'case'
     AND (NEW.id, NEW.at, NEW.actor, NEW.action, NEW.entity, NEW.entity_id, NEW.office_id)
         IS NOT DISTINCT FROM (OLD.id, OLD.at, OLD.actor, OLD.action, OLD.entity, OLD.entity_id, OLD.office_id)
     AND audit_log_contacts_only_removed(OLD.before, NEW.before)
     AND audit_log_contacts_only_removed(OLD.after, NEW.after)
  THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
