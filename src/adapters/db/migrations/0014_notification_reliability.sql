-- Retries for a maximum age end in 'technical-failure' (GOV.UK Notify's term); a message that keeps
-- crashing its process ends there too, after a few claims taken back from a dead worker.
ALTER TABLE notifications DROP CONSTRAINT notifications_status_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_status_check CHECK (status IN (
  'created', 'sending', 'sent', 'delivered', 'temporary-failure', 'permanent-failure', 'technical-failure', 'cancelled'));
ALTER TABLE notifications ADD COLUMN crashes integer NOT NULL DEFAULT 0;

-- A case's order is kept per channel: an e-mail outage no longer holds back its SMS.
DROP INDEX notifications_case_pending;
CREATE INDEX notifications_case_pending ON notifications (case_id, channel, position) WHERE status IN ('created', 'sending', 'temporary-failure');

-- The dashboard lists both final failures.
DROP INDEX notifications_failed;
CREATE INDEX notifications_failed ON notifications (failed_at DESC) WHERE status IN ('permanent-failure', 'technical-failure');
