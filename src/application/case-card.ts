import type { Db } from '../adapters/db/database.ts';

/**
 * A case's card with everything around it: the procedure, the office that handles the case, its
 * administration and the responsible officer. The case page and every message read it in one query.
 */
export type CaseCard = NonNullable<Awaited<ReturnType<typeof findCardByCode>>>;

/** The card joined to an office: the case's own office, not the card's, since a card moved elsewhere leaves its cases behind. */
function cardQuery(db: Db, officeId: string | { column: 'procedures.office_id' }) {
  return db
    .selectFrom('procedures')
    .innerJoin('offices', (join) => (typeof officeId === 'string' ? join.on('offices.id', '=', officeId) : join.onRef('offices.id', '=', officeId.column)))
    .innerJoin('administrations', 'administrations.id', 'offices.administration_id')
    .innerJoin('staff', 'staff.id', 'procedures.responsible_staff_id')
    .selectAll('procedures')
    .select([
      'offices.code as office_code', 'offices.name as office_name', 'offices.address as office_address', 'offices.phone as office_phone',
      'offices.email as office_email', 'offices.pec as office_pec', 'offices.opening_hours as office_opening_hours',
      'administrations.code as administration_code', 'administrations.name as administration_name', 'administrations.pec as administration_pec',
      'administrations.website as administration_website', 'administrations.support_email as administration_support_email',
      'administrations.start_communication_basis as administration_start_communication_basis',
      'administrations.substitute_power as administration_substitute_power',
      'staff.name as responsible_name', 'staff.phone as responsible_phone', 'staff.email as responsible_email',
    ]);
}

/** The card of an enrolled case, with the indemnity for delay paid on the case so far (euro cents, art. 28 D.L. 69/2013). */
export async function loadCaseCard(db: Db, row: { id: string; procedure_id: string; office_id: string }) {
  return cardQuery(db, row.office_id)
    .select((eb) =>
      eb.selectFrom('indemnity_payments').select((p) => p.fn.coalesce(p.fn.sum<number>('amount_cents'), p.lit(0)).as('cents')).where('case_id', '=', row.id).as('indemnity_paid_cents'),
    )
    .where('procedures.id', '=', row.procedure_id)
    .executeTakeFirstOrThrow();
}

/** A card by its code, in its own office (where a case is enrolled); undefined when there is none in the offices given. */
export async function findCardByCode(db: Db, code: string, officeId: string | null) {
  let query = cardQuery(db, { column: 'procedures.office_id' }).where('procedures.code', '=', code);
  if (officeId) query = query.where('procedures.office_id', '=', officeId);
  return query.executeTakeFirst();
}
