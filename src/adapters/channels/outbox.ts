import type { Db } from '../db/database.ts';
import { analyseSms } from '../../domain/notification/index.ts';
import type { Accepted, EmailChannel, OutgoingEmail, OutgoingSms, SmsChannel } from './types.ts';

/**
 * The default outside production: what would have been sent is stored and shown at /dev/outbox, so a
 * newcomer sees every message without a mail server. The notification id is the key: a repeated attempt
 * stores nothing twice.
 */
export function outboxEmailChannel(db: Db): EmailChannel {
  return {
    provider: 'outbox',
    async send(message: OutgoingEmail): Promise<Accepted> {
      await db
        .insertInto('outbox_messages')
        .values({ id: message.id, channel: 'email', recipient: message.to, subject: message.subject, text: message.text, html: message.html })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
      return { provider: 'outbox', providerId: message.id, delivered: true };
    },
    async close() {},
  };
}

export function outboxSmsChannel(db: Db): SmsChannel {
  return {
    provider: 'outbox',
    async send(message: OutgoingSms): Promise<Accepted> {
      const analysis = analyseSms(message.text);
      await db
        .insertInto('outbox_messages')
        .values({ id: message.id, channel: 'sms', recipient: message.to, text: message.text, encoding: analysis.encoding, segments: analysis.segments })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
      return { provider: 'outbox', providerId: message.id, delivered: true };
    },
    async close() {},
  };
}
