-- Sign-in and sessions hardening: initial passwords that must be changed, citizen sessions that a
-- sign-out ends on every process, and sign-in throttling by rate instead of escalating locks.

-- A password someone else chose (the CLI's `user create`, a new user made by an administrator) is
-- known to more than its owner: until the owner replaces it, the back office shows only the change page.
ALTER TABLE staff ADD COLUMN must_change_password boolean NOT NULL DEFAULT false;

-- Part of every citizen session's fingerprint: a sign-out adds one, so every cookie of the case stops
-- opening it. An update of the row, so the change notification (0006) drops the cached page everywhere.
ALTER TABLE cases ADD COLUMN session_generation integer NOT NULL DEFAULT 0;

-- The throttle is now a set of rate buckets (domain/portal/throttle.ts): `full_at` is the instant the
-- key's bucket is full again. No lock any more, and the old waits (up to 24 hours) mean nothing under
-- the new rule: every key starts afresh.
DELETE FROM portal_throttle;
ALTER TABLE portal_throttle DROP COLUMN locked;
ALTER TABLE portal_throttle RENAME COLUMN next_attempt_at TO full_at;

-- Staff are told by e-mail when their account locks (someone may be guessing its password), through the
-- same queue as the citizens' messages: a row is for a case or for a staff member, and a staff message is
-- written whole when queued (it carries no secret), so the dispatcher sends it as it is.
ALTER TABLE notifications ALTER COLUMN case_id DROP NOT NULL;
ALTER TABLE notifications ADD COLUMN staff_id uuid REFERENCES staff(id);
ALTER TABLE notifications ADD CONSTRAINT notifications_case_or_staff CHECK ((case_id IS NULL) <> (staff_id IS NULL));
ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_kind_check
  CHECK (kind IN ('start', 'suspend', 'resume', 'close', 'credentials', 'staff-locked'));
