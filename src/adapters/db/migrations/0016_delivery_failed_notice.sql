-- A message that fails for good is announced on the citizen's other channel by a short notice saying
-- where to read it: a kind of its own, with its own texts an administrator may change.
ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_kind_check
  CHECK (kind IN ('start', 'suspend', 'resume', 'close', 'credentials', 'delivery-failed', 'staff-locked'));
ALTER TABLE notification_templates DROP CONSTRAINT notification_templates_kind_check;
ALTER TABLE notification_templates ADD CONSTRAINT notification_templates_kind_check
  CHECK (kind IN ('start', 'suspend', 'resume', 'close', 'credentials', 'delivery-failed'));
