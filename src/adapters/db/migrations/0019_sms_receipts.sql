-- Delivery receipts are appended as received and applied to their message afterwards, in one ordered
-- statement: a long SMS's parts no longer lock its row against each other. A receipt is matched on the
-- SMPP account (system id), the destination and the message id within a time window, because an SMSC
-- may hand out the same ids again after a restart.
ALTER TABLE notification_receipts ADD COLUMN account text;
ALTER TABLE notification_receipts ADD COLUMN destination text;
CREATE INDEX notification_receipts_pending ON notification_receipts (received_at) WHERE notification_id IS NULL;
ALTER TABLE notifications ADD COLUMN provider_account text;

-- An SMS whose receipt never came ends, after SMS_RECEIPT_TIMEOUT_HOURS, in 'sent-no-receipt'.
ALTER TABLE notifications DROP CONSTRAINT notifications_status_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_status_check CHECK (status IN (
  'created', 'sending', 'sent', 'delivered', 'sent-no-receipt', 'temporary-failure', 'permanent-failure', 'technical-failure', 'cancelled'));
CREATE INDEX notifications_awaiting_receipt ON notifications (sent_at) WHERE status = 'sent' AND channel = 'sms';
