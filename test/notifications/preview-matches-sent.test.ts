import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { DatabaseHandle } from '../../src/adapters/db/database.ts';
import { outboxEmailChannel, outboxSmsChannel } from '../../src/adapters/channels/outbox.ts';
import { previewEvent } from '../../src/application/backoffice/previews.ts';
import { recordEvent } from '../../src/application/cases.ts';
import type { CaseCommand } from '../../src/domain/case/decide.ts';
import { systemActor } from '../support/fixtures.ts';
import { BASE_URL, clock, deps, dispatcher, enrol, notificationDatabase, notificationsOf, waitUntil } from './harness.ts';

// every event that sends a message, in an order the case allows; the suspension's reason is long enough for the SMS to shorten it
const EVENTS: CaseCommand[] = [
  { type: 'start', effectiveOn: '2026-11-21', reason: 'Domanda completa', notes: 'Nessun documento mancante' },
  { type: 'suspend', effectiveOn: '2026-11-23', kind: 'art2c7', reason: 'Manca la planimetria della rete di raccolta delle acque meteoriche, firmata da un tecnico abilitato e con il timbro' },
  { type: 'resume', effectiveOn: '2026-11-25', reason: 'Planimetria ricevuta' },
  { type: 'close', effectiveOn: '2026-11-26', outcome: 'accepted', reason: 'Autorizzazione rilasciata' },
];

describe('the back office\'s preview of an event is the message then sent', () => {
  let database: DatabaseHandle;
  before(async () => {
    database = await notificationDatabase();
  });
  after(() => database.close());

  it('for every event and channel: same subject, same text (secrets masked alike)', async () => {
    const citizen = await enrol(database.db, { channels: ['email', 'sms'] });
    const worker = dispatcher(database, { email: outboxEmailChannel(database.db), sms: outboxSmsChannel(database.db) });
    worker.start();
    try {
      for (const command of EVENTS) {
        const preview = await previewEvent({ db: database.db, clock, publicBaseUrl: BASE_URL }, null, citizen.code, command);
        assert.deepEqual(preview.messages.map((m) => m.channel).sort(), ['email', 'sms'], command.type);
        const { seq } = await recordEvent(deps(database.db), systemActor, citizen.code, command);
        const sent = await waitUntil(
          async () => (await notificationsOf(database.db, citizen.caseId)).filter((n) => n.event_seq === seq),
          (rows) => rows.length === 2 && rows.every((n) => n.status === 'sent' || n.status === 'delivered'),
        );
        for (const message of preview.messages) {
          const row = sent.find((n) => n.channel === message.channel)!;
          assert.equal(message.recipient, row.recipient, `${command.type}/${message.channel}: recipient`);
          assert.equal(message.text, row.body, `${command.type}/${message.channel}: text`);
          if (message.channel === 'email') assert.equal(message.subject, row.subject, `${command.type}/email: subject`);
        }
        const email = preview.messages.find((m) => m.channel === 'email')!;
        assert.doesNotMatch(email.text, /\/pratica\/accesso/, 'no address the messages do not carry');
      }
    } finally {
      await worker.stop();
    }
  });
});
