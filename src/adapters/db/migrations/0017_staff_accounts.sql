-- Staff accounts: the e-mail with a link to choose a new password, and when each API token was last used.

-- The reset e-mail goes through the messages' queue like the lock notice; its link is made when it is sent,
-- so the row never holds it.
ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_kind_check
  CHECK (kind IN ('start', 'suspend', 'resume', 'close', 'credentials', 'delivery-failed', 'staff-locked', 'staff-reset'));
-- the per-account limit on reset e-mails counts the recent ones
CREATE INDEX notifications_staff_kind_created ON notifications (staff_id, kind, created_at) WHERE staff_id IS NOT NULL;

-- Written at most once a minute per token, so that a busy integration does not write on every request.
ALTER TABLE api_tokens ADD COLUMN last_used_at timestamptz;
