-- Notifications (GOV.UK Notify model): one row per message and channel, written in the same transaction
-- as the event that caused it. The table is the queue: dispatchers claim rows with FOR UPDATE SKIP LOCKED.

-- The citizen's password, sealed with AES-256-GCM under a key that lives in the configuration, never here.
-- The ciphertext is bound to cases.password_hash (as additional data): when the hash changes, it stops opening.
CREATE TABLE case_credentials (
  case_id     uuid PRIMARY KEY REFERENCES cases(id),
  sealed      text NOT NULL,            -- v1.<key id>.<iv>.<ciphertext>.<tag>, base64url
  updated_at  timestamptz NOT NULL DEFAULT now()
);

-- Event order within a case: a fallback message takes the position of the message it replaces.
CREATE SEQUENCE notification_position;

CREATE TABLE notifications (
  id              uuid PRIMARY KEY,                       -- also the stable message id given to providers
  position        bigint NOT NULL DEFAULT nextval('notification_position'),
  case_id         uuid NOT NULL REFERENCES cases(id),
  event_seq       integer,                                -- NULL for "Invio EMAIL/SMS" (credentials)
  kind            text NOT NULL CHECK (kind IN ('start', 'suspend', 'resume', 'close', 'credentials')),
  channel         text NOT NULL CHECK (channel IN ('email', 'sms')),
  recipient       text NOT NULL,
  status          text NOT NULL DEFAULT 'created' CHECK (status IN (
                    'created', 'sending', 'sent', 'delivered', 'temporary-failure', 'permanent-failure', 'cancelled')),
  context         jsonb NOT NULL,                         -- template variables; never the password
  subject         text,                                   -- what was sent, password redacted
  body            text,
  attempts        integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  lease_until     timestamptz,
  claimed_by      text,
  provider        text,
  provider_id     text,
  provider_ids    text[] NOT NULL DEFAULT '{}',           -- every part of a concatenated SMS
  last_error      text,
  fallback_of     uuid REFERENCES notifications(id),
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  sent_at         timestamptz,
  delivered_at    timestamptz,
  failed_at       timestamptz,
  CHECK ((status = 'sending') = (lease_until IS NOT NULL))
);
-- one message per event and channel, even if an enqueue were repeated
CREATE UNIQUE INDEX notifications_event_channel ON notifications (case_id, event_seq, channel) WHERE event_seq IS NOT NULL;
CREATE INDEX notifications_due ON notifications (next_attempt_at, position) WHERE status IN ('created', 'temporary-failure');
CREATE INDEX notifications_case_pending ON notifications (case_id, position) WHERE status IN ('created', 'sending', 'temporary-failure');
CREATE INDEX notifications_case ON notifications (case_id, position);
CREATE INDEX notifications_lease ON notifications (lease_until) WHERE status = 'sending';
CREATE INDEX notifications_provider_ids ON notifications USING gin (provider_ids);
CREATE INDEX notifications_failed ON notifications (failed_at DESC) WHERE status = 'permanent-failure';

-- Wakes the dispatchers at commit (LISTEN pratica_notifications): NOTIFY is transactional.
CREATE FUNCTION notifications_wake() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('pratica_notifications', '');
  RETURN NULL;
END;
$$;
CREATE TRIGGER notifications_wake AFTER INSERT ON notifications
  FOR EACH STATEMENT EXECUTE FUNCTION notifications_wake();

-- Delivery receipts as received (SMPP deliver_sm, HTTP provider callbacks), matched or not.
CREATE TABLE notification_receipts (
  id               bigserial PRIMARY KEY,
  notification_id  uuid REFERENCES notifications(id),
  provider         text NOT NULL,
  provider_id      text NOT NULL,
  status           text NOT NULL CHECK (status IN ('delivered', 'failed')),
  detail           text NOT NULL DEFAULT '',
  received_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX notification_receipts_provider ON notification_receipts (provider, provider_id);
CREATE INDEX notification_receipts_notification ON notification_receipts (notification_id);

-- Texts an administrator changed; without a row the default text in the code applies.
CREATE TABLE notification_templates (
  kind        text NOT NULL CHECK (kind IN ('start', 'suspend', 'resume', 'close', 'credentials')),
  channel     text NOT NULL CHECK (channel IN ('email', 'sms')),
  subject     text NOT NULL DEFAULT '',
  body        text NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  updated_by  text NOT NULL,
  PRIMARY KEY (kind, channel)
);

-- The "outbox" channel (development): what would have been sent, shown at /dev/outbox.
CREATE TABLE outbox_messages (
  id          uuid PRIMARY KEY,          -- the notification id: a repeated send stores nothing twice
  channel     text NOT NULL CHECK (channel IN ('email', 'sms')),
  recipient   text NOT NULL,
  subject     text,
  text        text NOT NULL,
  html        text,
  encoding    text,
  segments    integer,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX outbox_messages_created ON outbox_messages (created_at DESC);
