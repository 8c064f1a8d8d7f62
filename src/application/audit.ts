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

/** Every action the audit log records, declared once: the back office labels each (backoffice/text.ts). */
export const AUDIT_ACTIONS = [
  'case.enrol', 'case.import', 'case.start', 'case.suspend', 'case.resume', 'case.observations', 'case.close', 'case.substitute-request', 'case.silence-attestation', 'case.indemnity-payment',
  'case.contacts', 'case.credentials-sent', 'case.password-reissued', 'case.move-office',
  'case.opt-out', 'case.opt-out-recorded', 'case.opt-out-acknowledged', 'case.contacts-erased',
  'case.fiscal-identifiers',
  'adhesion-request.enrolled', 'adhesion-request.linked', 'adhesion-request.dismissed', 'adhesion-request.contacts-erased',
  'administration.create', 'administration.update', 'calendar.add', 'calendar.remove', 'office.create', 'office.update', 'procedure.create', 'procedure.update',
  'template.save', 'template.reset', 'token.create', 'token.revoke', 'report-counts.repair', 'portal.sign-in-throttled',
  'portal.citizen-sign-in', 'portal.citizen-sign-out', 'portal.citizen-case-opened',
  'staff.create', 'staff.update', 'staff.sign-in', 'staff.sign-in-failed', 'staff.sign-out', 'staff.locked', 'staff.unlocked',
  'staff.password-changed', 'staff.password-change-refused',
  'staff.password-reset-requested', 'staff.password-reset-throttled', 'staff.password-reset-sent', 'staff.password-reset',
  'staff.temporary-password', 'staff.deactivated', 'staff.reactivated',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** The service's own actors (the demo data, the citizens' site, the message sender, the retention job), by id. */
export const SYSTEM_ACTOR_IDS = ['demo', 'portal', 'notifications', 'retention'] as const;
export type SystemActorId = (typeof SYSTEM_ACTOR_IDS)[number];

export interface AuditEntry {
  action: AuditAction;
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
