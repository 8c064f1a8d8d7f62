import { sql } from 'kysely';
import type { Db } from '../../adapters/db/database.ts';
import type { Channel } from '../../domain/case/contacts.ts';
import { DomainError } from '../../domain/errors.ts';
import {
  CHANNELS, DEFAULT_TEMPLATES, MESSAGE_KINDS, checkTemplate, renderEmail, renderIo, renderSms, sampleContext,
} from '../../domain/notification/index.ts';
import type { IoContent, MessageContext, MessageKind, RenderedEmail, SmsAnalysis, TemplateProblem, TemplateText } from '../../domain/notification/index.ts';
import { audit } from '../audit.ts';
import type { Actor } from '../audit.ts';
import { inTransaction } from '../transaction.ts';
import { SIGN_IN_LINK_PATH } from '../portal/sign-in-link.ts';
import { caseLink } from './secrets.ts';

/** Texts are data: an administrator changes them without a deploy; the defaults live in the code. */

export type TemplateSet = ReadonlyMap<string, TemplateText>;

const keyOf = (kind: MessageKind, channel: Channel) => `${kind}/${channel}`;

export interface TemplateView extends TemplateText {
  kind: MessageKind;
  channel: Channel;
  custom: boolean;
  updatedAt: Date | null;
  updatedBy: string | null;
}

export function checkKindAndChannel(kind: string, channel: string): { kind: MessageKind; channel: Channel } {
  if (!(MESSAGE_KINDS as readonly string[]).includes(kind)) {
    throw new DomainError('not-found', `Tipo di messaggio "${kind}" sconosciuto: ${MESSAGE_KINDS.join(', ')}.`);
  }
  if (!(CHANNELS as readonly string[]).includes(channel)) throw new DomainError('not-found', `Canale "${channel}" sconosciuto: ${CHANNELS.join(', ')}.`);
  return { kind: kind as MessageKind, channel: channel as Channel };
}

/** Every template in use, custom ones over the defaults: what the dispatcher renders with. */
export async function loadTemplates(db: Db): Promise<TemplateSet> {
  const rows = await db.selectFrom('notification_templates').select(['kind', 'channel', 'subject', 'body']).execute();
  const set = new Map<string, TemplateText>();
  for (const kind of MESSAGE_KINDS) for (const channel of CHANNELS) set.set(keyOf(kind, channel), DEFAULT_TEMPLATES[kind][channel]);
  for (const row of rows) set.set(keyOf(row.kind, row.channel), { subject: row.subject, body: row.body });
  return set;
}

export function templateFor(set: TemplateSet, kind: MessageKind, channel: Channel): TemplateText {
  return set.get(keyOf(kind, channel)) ?? DEFAULT_TEMPLATES[kind][channel];
}

export async function listTemplates(db: Db): Promise<TemplateView[]> {
  const rows = await db.selectFrom('notification_templates').selectAll().execute();
  return MESSAGE_KINDS.flatMap((kind) =>
    CHANNELS.map((channel) => {
      const row = rows.find((r) => r.kind === kind && r.channel === channel);
      const text = row ? { subject: row.subject, body: row.body } : DEFAULT_TEMPLATES[kind][channel];
      return { kind, channel, ...text, custom: Boolean(row), updatedAt: row?.updated_at ?? null, updatedBy: row?.updated_by ?? null };
    }),
  );
}

export async function getTemplate(db: Db, kind: MessageKind, channel: Channel): Promise<TemplateView> {
  return (await listTemplates(db)).find((t) => t.kind === kind && t.channel === channel)!;
}

/** Sample values with this installation's addresses, so the SMS length checked is the real one. */
export function previewContext(publicBaseUrl: string, channel: Channel): MessageContext {
  return sampleContext({ caseLink: caseLink(publicBaseUrl), signInLink: `${publicBaseUrl}${SIGN_IN_LINK_PATH}${'x'.repeat(54)}` }, channel);
}

export interface Preview {
  kind: MessageKind;
  channel: Channel;
  problems: TemplateProblem[];
  warnings: string[];
  email?: RenderedEmail;
  sms?: { text: string; analysis: SmsAnalysis };
  io?: IoContent;
}

/** Renders a template (the one given, or the one in use) with sample values, and reports what is wrong. */
export function previewTemplate(kind: MessageKind, channel: Channel, template: TemplateText, publicBaseUrl: string): Preview {
  const context = previewContext(publicBaseUrl, channel);
  const check = checkTemplate(kind, channel, template, context);
  const preview: Preview = { kind, channel, ...check };
  if (check.problems.length) return preview;
  if (channel === 'email') preview.email = renderEmail(template, context);
  else if (channel === 'io') preview.io = renderIo(template, context);
  else preview.sms = renderSms(template, context);
  return preview;
}

/** A template that would fail to render, or that leaves out a required element, is refused here. */
export async function saveTemplate(
  db: Db,
  actor: Actor,
  kind: MessageKind,
  channel: Channel,
  template: TemplateText,
  publicBaseUrl: string,
): Promise<TemplateView & { warnings: string[] }> {
  if (actor.officeId !== null) throw new DomainError('forbidden', 'Solo un amministratore può cambiare i testi dei messaggi.');
  const text = { subject: channel === 'sms' ? '' : template.subject, body: template.body.replace(/\r\n/g, '\n') };
  const check = checkTemplate(kind, channel, text, previewContext(publicBaseUrl, channel));
  if (check.problems.length) {
    const texts = check.problems.map((p) => p.text);
    // `errors`: each problem on its field of the form; `problems`: the texts, as the API gives them
    throw new DomainError('invalid-input', `Il testo non è stato salvato. ${texts.join(' ')}`, { field: 'body', problems: texts, errors: check.problems });
  }
  await inTransaction(db, async (trx) => {
    const before = await trx.selectFrom('notification_templates').select(['subject', 'body']).where('kind', '=', kind).where('channel', '=', channel).executeTakeFirst();
    await trx
      .insertInto('notification_templates')
      .values({ kind, channel, subject: text.subject, body: text.body, updated_by: actor.name })
      .onConflict((oc) => oc.columns(['kind', 'channel']).doUpdateSet({ subject: text.subject, body: text.body, updated_by: actor.name, updated_at: sql`now()` }))
      .execute();
    await audit(trx, actor, { action: 'template.save', entity: 'notification_template', entityId: keyOf(kind, channel), before: before ?? DEFAULT_TEMPLATES[kind][channel], after: text });
  });
  return { ...(await getTemplate(db, kind, channel)), warnings: check.warnings };
}

/** Back to the default text. */
export async function resetTemplate(db: Db, actor: Actor, kind: MessageKind, channel: Channel): Promise<TemplateView> {
  if (actor.officeId !== null) throw new DomainError('forbidden', 'Solo un amministratore può cambiare i testi dei messaggi.');
  await inTransaction(db, async (trx) => {
    const removed = await trx.deleteFrom('notification_templates').where('kind', '=', kind).where('channel', '=', channel).returning(['subject', 'body']).executeTakeFirst();
    if (removed) await audit(trx, actor, { action: 'template.reset', entity: 'notification_template', entityId: keyOf(kind, channel), before: removed });
  });
  return getTemplate(db, kind, channel);
}
