/**
 * Who may do what in the back office, as small pure predicates. The same functions guard the use cases
 * and tell the pages which actions to offer, so the UI never shows a button the server would refuse.
 * Roles: administrator (everything), office manager (their office, its procedures and staff),
 * case officer (their office's cases).
 */
import type { CaseState, EventType } from './case/states.ts';
import { allowedEvents } from './case/states.ts';
import { DomainError } from './errors.ts';

export type Role = 'admin' | 'office-manager' | 'case-officer';

export const ROLES: readonly Role[] = ['admin', 'office-manager', 'case-officer'];

export interface Principal {
  id: string;
  role: Role;
  /** null only for administrators */
  officeId: string | null;
}

export const isAdmin = (p: Principal): boolean => p.role === 'admin';

/** The office every query is scoped to; null means every office (administrators only). */
export const scopeOf = (p: Principal): string | null => (isAdmin(p) ? null : p.officeId);

export const canAccessOffice = (p: Principal, officeId: string): boolean => isAdmin(p) || p.officeId === officeId;

// Cases: anyone of the case's office records events, edits contacts, resends credentials and records opt-outs.
export const canWorkOnCase = (p: Principal, c: { officeId: string }): boolean => canAccessOffice(p, c.officeId);

export function caseEventsFor(p: Principal, c: { officeId: string; state: CaseState }): EventType[] {
  return canWorkOnCase(p, c) ? allowedEvents(c.state) : [];
}

export const canImportCases = (p: Principal): boolean => p.role !== 'case-officer';

// Catalogue
export const canCreateOffices = (p: Principal): boolean => isAdmin(p);
export const canEditOffice = (p: Principal, officeId: string): boolean =>
  isAdmin(p) || (p.role === 'office-manager' && p.officeId === officeId);
export const canManageProcedures = (p: Principal, officeId: string): boolean => canEditOffice(p, officeId);
export const canManageCalendar = (p: Principal): boolean => isAdmin(p);
export const canManageTemplates = (p: Principal): boolean => isAdmin(p);
export const canManageAdministration = (p: Principal): boolean => isAdmin(p);
export const canSeeCatalogue = (p: Principal): boolean => p.role !== 'case-officer';

/** Office managers manage the staff of their own office, and never create or promote administrators. */
export function canManageStaff(p: Principal, target: { officeId: string | null; role: Role }): boolean {
  if (isAdmin(p)) return true;
  return p.role === 'office-manager' && target.role !== 'admin' && target.officeId !== null && target.officeId === p.officeId;
}

export function assertAllowed(allowed: boolean, what: string): void {
  if (!allowed) throw new DomainError('forbidden', `Operazione non consentita al proprio ruolo: ${what}.`);
}
