/** Shapes what the citizen reads: no more personal data than needed (contacts masked), dates and day counts. */
import { counted } from '../../../domain/plural.ts';
import type { CaseView } from '../../../application/cases.ts';
import { formatItalianDate } from '../../../domain/deadline/index.ts';
import type { IsoDate, SuspensionKind } from '../../../domain/deadline/index.ts';
import type { Lang } from '../ui/i18n.ts';
import { format } from '../ui/i18n.ts';
import { PORTAL_TEXT } from './text.ts';

/** 'giulia.bertozzi@example.org' → 'g•••@example.org': enough to recognise one's own address. */
export function maskEmail(email: string | null): string | null {
  if (!email) return null;
  const at = email.lastIndexOf('@');
  if (at < 1) return '•••';
  return `${email[0]}•••${email.slice(at)}`;
}

/** '+39 333 1234567' → '+39 ••• •••4567'. */
export function maskMobile(mobile: string | null): string | null {
  if (!mobile) return null;
  const digits = mobile.replace(/\D/g, '');
  const country = mobile.trim().startsWith('+39') ? '+39 ' : mobile.trim().startsWith('+') ? '+' : '';
  return `${country}••• •••${digits.slice(-3)}`;
}

export const date = (d: IsoDate): string => formatItalianDate(d);

/** The Italian instant as dd/mm/yyyy. */
export function instantDate(instant: Date): string {
  const [day, month, year] = new Intl.DateTimeFormat('it-IT', { timeZone: 'Europe/Rome', day: '2-digit', month: '2-digit', year: 'numeric' })
    .format(instant)
    .split('/');
  return `${day}/${month}/${year}`;
}

export function daysText(lang: Lang, daysRemaining: number): string {
  const t = PORTAL_TEXT[lang];
  if (daysRemaining === 0) return t.dueToday;
  const days = counted(Math.abs(daysRemaining), 'day', lang);
  if (daysRemaining === 1) return t.dayLeft;
  return daysRemaining > 0 ? format(t.daysLeft, { days }) : format(t.overdueBy, { days });
}

export function waitText(lang: Lang, seconds: number): string {
  return seconds < 120 ? counted(seconds, 'second', lang) : counted(Math.ceil(seconds / 60), 'minute', lang);
}

export interface SuspensionRow {
  kind: SuspensionKind;
  from: IsoDate;
  to: IsoDate | null;
  days: number;
  open: boolean;
  reason: string;
  notes: string;
  legalBasis: string | null;
}

/** The periods computed by the deadline engine, with the reason and notes the office wrote on each. */
export function suspensionRows(view: CaseView): SuspensionRow[] {
  const used = new Set<number>();
  return view.deadline.suspensions.map((period) => {
    const event = view.events.find((e) => e.type === 'suspend' && e.effectiveOn === period.from && e.suspensionKind === period.kind && !used.has(e.seq));
    if (event) used.add(event.seq);
    return {
      kind: period.kind,
      from: period.from,
      to: period.to,
      days: period.days,
      open: period.open,
      reason: event?.reason ?? '',
      notes: event?.notes ?? '',
      legalBasis: event?.legalBasis ?? null,
    };
  });
}

/** The kind of the suspension still open, if any: it decides what the citizen is told to do next. */
export function openSuspensionKind(view: CaseView): SuspensionKind | undefined {
  if (view.case.state !== 'suspended') return undefined;
  return [...view.events].reverse().find((e) => e.type === 'suspend')?.suspensionKind ?? undefined;
}
