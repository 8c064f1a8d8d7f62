import type { Db } from '../adapters/db/database.ts';

/** Who did something: recorded in the audit log and on every event. */
export interface Actor {
  kind: 'staff' | 'token' | 'citizen' | 'cli' | 'system';
  id: string;
  /** the person or integration, as shown in history ("Mario Rossi", "protocollo-informatico") */
  name: string;
  /** null: every office (administrators, global tokens, the CLI) */
  officeId: string | null;
}

export function actorRef(actor: Actor): string {
  return `${actor.kind}:${actor.id}`;
}

export interface AuditEntry {
  action: string;
  entity: string;
  entityId: string;
  officeId?: string | null;
  before?: unknown;
  after?: unknown;
}

/** Written in the caller's transaction, so the log and the change commit or fail together. */
export async function audit(trx: Db, actor: Actor, entry: AuditEntry): Promise<void> {
  await trx
    .insertInto('audit_log')
    .values({
      actor: actorRef(actor),
      action: entry.action,
      entity: entry.entity,
      entity_id: entry.entityId,
      office_id: entry.officeId ?? null,
      before: entry.before === undefined ? null : JSON.stringify(entry.before),
      after: entry.after === undefined ? null : JSON.stringify(entry.after),
    })
    .execute();
}
