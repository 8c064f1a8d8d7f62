import type { Db } from '../adapters/db/database.ts';
import { DomainError } from '../domain/errors.ts';
import { describeTerm } from '../domain/procedure.ts';
import { ioOffered } from '../domain/case/contacts.ts';
import type { IoCoverage } from '../domain/case/contacts.ts';
import { getProcedure } from './catalogue.ts';
import type { ProcedureWithNames } from './catalogue.ts';

/** What the adhesion form of a procedure says about it: the procedure, its office and its term in words. */
export interface AdhesionProcedure {
  procedure: ProcedureWithNames;
  office: { name: string; address: string; pec: string | null };
  term: string;
  /** the office has App IO (IO_API_KEY, IO_API_KEYS): the form offers it, with the fiscal code it needs */
  ioOffered: boolean;
}

/** A procedure's adhesion form exists only while the procedure is active and has a numeric term (a deadline can be computed). */
export async function loadAdhesionProcedure(db: Db, officeId: string | null, code: string, io: IoCoverage | undefined): Promise<AdhesionProcedure> {
  const procedure = await getProcedure(db, officeId, code);
  if (procedure.term_amount === null || !procedure.active) {
    throw new DomainError('term-not-numeric', `Il procedimento "${procedure.name}" non può aderire al servizio: non ha un tempo di erogazione numerico o non è attivo.`);
  }
  const office = await db.selectFrom('offices').select(['name', 'address', 'pec']).where('id', '=', procedure.office_id).executeTakeFirstOrThrow();
  const term = describeTerm({ name: procedure.name, termText: procedure.term_text, termAmount: procedure.term_amount, termUnit: procedure.term_unit, active: procedure.active });
  return { procedure, office, term, ioOffered: ioOffered(io, procedure.office_code) };
}
