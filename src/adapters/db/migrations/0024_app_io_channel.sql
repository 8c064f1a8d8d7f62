-- App IO, the administrations' app (CAD art. 64-bis), as a third channel beside e-mail and SMS: the
-- citizen chooses it, and is reached by the applicant's fiscal code.
ALTER TABLE cases ADD COLUMN notify_io boolean NOT NULL DEFAULT false;

ALTER TABLE notifications DROP CONSTRAINT notifications_channel_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_channel_check CHECK (channel IN ('email', 'sms', 'io'));
ALTER TABLE notification_templates DROP CONSTRAINT notification_templates_channel_check;
ALTER TABLE notification_templates ADD CONSTRAINT notification_templates_channel_check CHECK (channel IN ('email', 'sms', 'io'));
ALTER TABLE outbox_messages DROP CONSTRAINT outbox_messages_channel_check;
ALTER TABLE outbox_messages ADD CONSTRAINT outbox_messages_channel_check CHECK (channel IN ('email', 'sms', 'io'));

-- 'rerouted': the citizen is not on App IO or blocked the service there, and the message went on their
-- other channels; a final status that is not a failure.
ALTER TABLE notifications DROP CONSTRAINT notifications_status_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_status_check CHECK (status IN (
  'created', 'sending', 'sent', 'delivered', 'sent-no-receipt', 'temporary-failure', 'permanent-failure', 'technical-failure', 'rerouted', 'cancelled'));

-- IO reports whether its message was processed and read: read back for the staff, at most once a minute.
ALTER TABLE notifications ADD COLUMN read_at timestamptz;
ALTER TABLE notifications ADD COLUMN status_checked_at timestamptz;
CREATE INDEX notifications_io_status ON notifications (sent_at) WHERE channel = 'io' AND status IN ('sent', 'delivered') AND read_at IS NULL;
