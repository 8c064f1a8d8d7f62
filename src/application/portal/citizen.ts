/**
 * The citizen signed in with SPID or CIE (CAD art. 64): "Le mie pratiche" lists every case with their codice
 * fiscale, in every office. The session is the portal's own signed cookie; signing out records its id among the
 * spent nonces (portal_used_links), so a copy of the cookie stops working on every web process.
 */
import type { Db } from '../../adapters/db/database.ts';
import type { CaseState } from '../../domain/case/states.ts';
import { audit } from '../audit.ts';
import type { Actor } from '../audit.ts';
import { inTransaction } from '../transaction.ts';
import type { PortalDeps, SignedInCase } from './sign-in.ts';
import { sessionFingerprint } from './sign-in.ts';

export interface CitizenCase {
  code: string;
  procedureName: string;
  officeName: string;
  protocolNumber: string;
  receivedOn: string;
  state: CaseState;
  deadline: string | null;
  closedOn: string | null;
}

const citizenActor = (fiscalCode: string): Actor => ({ kind: 'citizen', id: fiscalCode, name: 'Cittadino (SPID/CIE)', officeId: null });

/** Every case whose applicant is the citizen, newest first. */
export async function listCitizenCases(db: Db, fiscalCode: string): Promise<CitizenCase[]> {
  const rows = await db
    .selectFrom('cases')
    .innerJoin('procedures', 'procedures.id', 'cases.procedure_id')
    .innerJoin('offices', 'offices.id', 'cases.office_id')
    .select([
      'cases.code', 'procedures.name as procedure_name', 'offices.name as office_name', 'cases.protocol_number', 'cases.received_on',
      'cases.state', 'cases.deadline', 'cases.closed_on',
    ])
    .where('cases.applicant_fiscal_code', '=', fiscalCode)
    .orderBy('cases.received_on', 'desc')
    .orderBy('cases.code')
    .execute();
  return rows.map((r) => ({
    code: r.code, procedureName: r.procedure_name, officeName: r.office_name, protocolNumber: r.protocol_number,
    receivedOn: r.received_on, state: r.state, deadline: r.deadline, closedOn: r.closed_on,
  }));
}

/** The sign-in, audited with the level of assurance the provider states. */
export async function recordCitizenSignIn(db: Db, fiscalCode: string, acr: string | undefined): Promise<void> {
  await inTransaction(db, (trx) => audit(trx, citizenActor(fiscalCode), { action: 'portal.citizen-sign-in', entity: 'citizen', entityId: fiscalCode, after: { acr: acr ?? null } }));
}

/**
 * The case page behind a line of "Le mie pratiche": the same session as a sign-in with the case's password, opened
 * only for a case whose applicant fiscal code is the citizen's. Undefined for any other case.
 */
export async function openCitizenCase(deps: PortalDeps, fiscalCode: string, code: string): Promise<SignedInCase | undefined> {
  const row = await deps.db
    .selectFrom('cases')
    .select(['id', 'code', 'office_id', 'password_hash', 'session_generation'])
    .where('code', '=', code)
    .where('applicant_fiscal_code', '=', fiscalCode)
    .executeTakeFirst();
  if (!row) return undefined;
  await inTransaction(deps.db, (trx) => audit(trx, citizenActor(fiscalCode), { action: 'portal.citizen-case-opened', entity: 'case', entityId: row.code, officeId: row.office_id }));
  return { caseId: row.id, code: row.code, fingerprint: sessionFingerprint(deps.secret, row) };
}

const revocationKey = (sessionId: string) => `citizen-session:${sessionId}`;

export async function isCitizenSessionEnded(db: Db, sessionId: string): Promise<boolean> {
  const row = await db.selectFrom('portal_used_links').select('nonce').where('nonce', '=', revocationKey(sessionId)).executeTakeFirst();
  return row !== undefined;
}

/** Ends the session everywhere; kept until every copy of its cookie has expired anyway. */
export async function endCitizenSession(db: Db, session: { id: string; fiscalCode: string }, cookieExpiresBy: Date): Promise<void> {
  await inTransaction(db, async (trx) => {
    await trx.insertInto('portal_used_links').values({ nonce: revocationKey(session.id), expires_at: cookieExpiresBy }).onConflict((oc) => oc.column('nonce').doNothing()).execute();
    await audit(trx, citizenActor(session.fiscalCode), { action: 'portal.citizen-sign-out', entity: 'citizen', entityId: session.fiscalCode });
  });
}

export async function officeContacts(db: Db) {
  const offices = await db.selectFrom('offices').select(['name', 'address', 'phone', 'email', 'pec', 'opening_hours']).orderBy('name').execute();
  return offices.map((o) => ({ name: o.name, address: o.address, phone: o.phone, email: o.email, pec: o.pec, openingHours: o.opening_hours }));
}
