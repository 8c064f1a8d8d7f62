-- Answers kept for Idempotency-Key replays no longer hold the citizen's password: the enrolment's answer keeps
-- a stamp of the password hash, and a replay opens the sealed copy (application/idempotency.ts). The passwords
-- stored by earlier versions are removed; replaying those answers gives the case code without the password.
UPDATE idempotency_keys
  SET response_body = response_body #- '{credentials,password}'
  WHERE response_body -> 'credentials' ? 'password';

-- Keys live a day (IDEMPOTENCY_KEY_HOURS): each claim forgets a few expired ones, oldest first.
DELETE FROM idempotency_keys WHERE created_at < now() - interval '24 hours';
CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at);
