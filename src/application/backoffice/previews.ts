import type { Db } from '../../adapters/db/database.ts';
import { caseDeadline, checkReceiptDate, decide } from '../../domain/case/decide.ts';
import type { CaseCommand, CaseEvent, Decision } from '../../domain/case/decide.ts';
import { parseIsoDate } from '../../domain/deadline/index.ts';
import type { DeadlineResult } from '../../domain/deadline/index.ts';
import { DomainError } from '../../domain/errors.ts';
import { messageKindOf } from '../../domain/notification/index.ts';
import { loadCalendar } from '../calendar.ts';
import { termColumnsOf, termsOfCase } from '../case-terms.ts';
import { requireProcedureCode } from '../cases.ts';
import type { Clock } from '../clock.ts';
import { eventMessageContexts, loadMessageFacts } from '../notifications.ts';
import { composeMessage, previewSecrets } from '../notifications/compose.ts';
import { loadTemplates, templateFor } from '../notifications/templates.ts';

export interface PreviewDeps {
  db: Db;
  clock: Clock;
  publicBaseUrl: string;
}

/** The deadline a new case would get, before it is saved. */
export async function previewEnrolmentDeadline(deps: PreviewDeps, officeId: string | null, procedureCode: string, receivedOn: string): Promise<DeadlineResult> {
  requireProcedureCode(procedureCode);
  let query = deps.db.selectFrom('procedures').selectAll().where('code', '=', procedureCode);
  if (officeId) query = query.where('office_id', '=', officeId);
  const procedure = await query.executeTakeFirst();
  if (!procedure) throw new DomainError('not-found', `Procedimento "${procedureCode}" non trovato.`, { field: 'procedureCode' });
  const date = parseIsoDate(receivedOn);
  checkReceiptDate(date, deps.clock.today());
  return caseDeadline(date, [], termsOfCase(termColumnsOf(procedure)), await loadCalendar(deps.db), deps.clock.today());
}

export interface MessagePreview {
  channel: 'email' | 'sms';
  recipient: string;
  subject?: string;
  text: string;
}

export interface EventPreview {
  decision: Decision;
  messages: MessagePreview[];
}

/**
 * What recording this event would do, without recording it: the domain decides on the current events, and
 * the messages are made by the code that makes the real ones, and shown masked as the office sees those sent.
 */
export async function previewEvent(deps: PreviewDeps, officeId: string | null, code: string, command: CaseCommand): Promise<EventPreview> {
  let query = deps.db.selectFrom('cases').selectAll().where('code', '=', code);
  if (officeId) query = query.where('office_id', '=', officeId);
  const current = await query.executeTakeFirst();
  if (!current) throw new DomainError('not-found', `Pratica ${code} non trovata.`);
  const [rows, calendar] = await Promise.all([
    deps.db.selectFrom('case_events').selectAll().where('case_id', '=', current.id).orderBy('seq').execute(),
    loadCalendar(deps.db),
  ]);
  const events: CaseEvent[] = rows.map((r) => ({
    type: r.type, effectiveOn: r.effective_on, reason: r.reason, notes: r.notes,
    suspensionKind: r.suspension_kind ?? undefined, legalBasis: r.legal_basis ?? undefined, outcome: r.outcome ?? undefined,
  }));
  const decision = decide({ state: current.state, receivedOn: current.received_on, events }, command, {
    today: deps.clock.today(), terms: termsOfCase(current), calendar,
  });
  const kind = messageKindOf(decision.event.type);
  if (!kind) return { decision, messages: [] };
  // the case as the event leaves it: its message is stored from the case after the update
  const loaded = await loadMessageFacts(deps.db, current.id);
  const facts = { ...loaded, case: { ...loaded.case, deadline: decision.deadline.deadline, deadlineProvisional: decision.deadline.provisional } };
  const templates = await loadTemplates(deps.db);
  const messages: MessagePreview[] = eventMessageContexts(facts, decision.event, current.deadline).map((target) => {
    const template = templateFor(templates, kind, target.channel);
    const { shown } = composeMessage(template, target.channel, target.context, deps.publicBaseUrl, previewSecrets(deps.publicBaseUrl, target.channel));
    return target.channel === 'email'
      ? { channel: 'email', recipient: target.recipient, subject: shown.subject ?? '', text: shown.body }
      : { channel: 'sms', recipient: target.recipient, text: shown.body };
  });
  return { decision, messages };
}
