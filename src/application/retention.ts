import { sql } from 'kysely';
import type { Db } from '../adapters/db/database.ts';
import { addDays } from '../domain/deadline/index.ts';
import { CANCELLABLE_STATUSES } from '../domain/notification/index.ts';
import { audit } from './audit.ts';
import type { Actor } from './audit.ts';
import type { Clock } from './clock.ts';
import { inTransaction } from './transaction.ts';

const RETENTION_ACTOR: Actor = { kind: 'system', id: 'retention', name: 'Conservazione dei dati', officeId: null };

/** Cases erased per transaction: a first run on an old database does not hold thousands of rows at once. */
const BATCH = 200;

/**
 * GDPR art. 5(1)(e): the contacts were collected to tell the citizen how the case goes, and the sealed password to
 * put it in the messages; `days` after closure neither serves any more. Erased from the case, its credentials, its
 * messages (the recipient, the local outbox's copies: messages still waiting are cancelled) and the audit log's
 * copies; the case, its history and the messages' record stay for the reports. A case whose message is being sent
 * right now waits for the next run. Returns the cases erased.
 */
export async function eraseExpiredContacts(deps: { db: Db; clock: Clock }, days: number): Promise<number> {
  const closedBy = addDays(deps.clock.today(), -days);
  let erased = 0;
  for (;;) {
    const batch = await inTransaction(deps.db, async (trx) => {
      const cases = await trx
        .selectFrom('cases')
        .select(['id', 'code', 'office_id', 'closed_on'])
        .where('state', '=', 'closed')
        .where('closed_on', '<=', closedBy)
        .where((eb) => eb.or([
          eb('mobile', 'is not', null),
          eb('email', 'is not', null),
          eb.exists(eb.selectFrom('case_credentials').select('case_id').whereRef('case_credentials.case_id', '=', 'cases.id')),
          eb.exists(eb.selectFrom('notifications').select('id').whereRef('notifications.case_id', '=', 'cases.id').where('recipient', '!=', '')),
        ]))
        .where((eb) => eb.not(eb.exists(eb.selectFrom('notifications').select('id').whereRef('notifications.case_id', '=', 'cases.id').where('status', '=', 'sending'))))
        .orderBy('closed_on')
        .limit(BATCH)
        .forUpdate()
        .skipLocked()
        .execute();
      if (cases.length === 0) return 0;
      const ids = cases.map((c) => c.id);
      const now = deps.clock.now();
      await trx
        .updateTable('cases')
        .set((eb) => ({ mobile: null, email: null, notify_sms: false, notify_email: false, notify_io: false, version: eb('version', '+', 1), updated_at: now }))
        .where('id', 'in', ids)
        .execute();
      await trx.deleteFrom('case_credentials').where('case_id', 'in', ids).execute();
      const cancelled = await trx
        .updateTable('notifications')
        .set({ status: 'cancelled', updated_at: now, last_error: 'recapiti cancellati: decorso il termine di conservazione' })
        .where('case_id', 'in', ids)
        .where('status', 'in', [...CANCELLABLE_STATUSES])
        .returning('case_id')
        .execute();
      await trx.deleteFrom('outbox_messages').where('id', 'in', (eb) => eb.selectFrom('notifications').select('id').where('case_id', 'in', ids)).execute();
      await trx.updateTable('notifications').set({ recipient: '' }).where('case_id', 'in', ids).where('recipient', '!=', '').execute();
      // the one change the audit log admits (migration 0018)
      await sql`UPDATE audit_log SET before = before - 'mobile' - 'email', after = after - 'mobile' - 'email'
        WHERE entity = 'case' AND entity_id IN (${sql.join(cases.map((c) => c.code))})
          AND (before ?| array['mobile', 'email'] OR after ?| array['mobile', 'email'])`.execute(trx);
      for (const c of cases) {
        await audit(trx, RETENTION_ACTOR, {
          action: 'case.contacts-erased', entity: 'case', entityId: c.code, officeId: c.office_id,
          after: { closedOn: c.closed_on, retentionDays: days, cancelledMessages: cancelled.filter((n) => n.case_id === c.id).length },
        });
      }
      return cases.length;
    });
    erased += batch;
    if (batch < BATCH) return erased;
  }
}
