/** The report pages' query parameters, read into a filter or refused in Italian. */
import type { StaffUser } from '../../../application/backoffice/auth.ts';
import type { ReportFilter } from '../../../application/reports/times.ts';
import { isoDateProblem } from '../../../domain/deadline/index.ts';
import { DomainError } from '../../../domain/errors.ts';
import { scopeOf } from '../../../domain/policy.ts';
import { int, single } from '../backoffice/forms.ts';

function dateParam(value: string | undefined, fallback: string, field: string): string {
  if (value === undefined || value === '') return fallback;
  const problem = isoDateProblem(value);
  if (problem) throw new DomainError('invalid-input', `Data non valida nel campo "${field}": ${problem}.`, { field });
  return value;
}

export function filterOf(query: unknown, user: StaffUser, today: string): ReportFilter {
  return {
    from: dateParam(single(query, 'dal'), `${today.slice(0, 4)}-01-01`, 'dal'),
    to: dateParam(single(query, 'al'), today, 'al'),
    scopeOfficeId: scopeOf(user),
    officeCode: single(query, 'ufficio') || undefined,
    procedureCode: single(query, 'procedimento') || undefined,
  };
}

/** The drill-down's first row: absent is the first page; anything but a small whole number is refused. */
export function offsetParam(query: unknown): number {
  const text = single(query, 'da');
  if (text === undefined || text === '') return 0;
  const offset = int(query, 'da');
  if (offset === undefined) throw new DomainError('invalid-input', 'Posizione non valida nel campo "da": indicare un numero intero da 0 a 999999999.', { field: 'da' });
  return offset;
}

/** A month of the satisfaction page (AAAA-MM); absent, the fallback. */
export function monthParam(value: string | undefined, fallback: string, field: string): string {
  if (!value) return fallback;
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(value)) throw new DomainError('invalid-input', `Mese non valido nel campo "${field}": usare il formato AAAA-MM.`, { field });
  return value;
}
