import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { CHANNEL_LABELS, KIND_LABELS, STATUS_LABELS } from '../../../domain/notification/index.ts';
import type { MessageKind, NotificationStatus } from '../../../domain/notification/index.ts';
import type { AppDeps } from '../deps.ts';

/**
 * /dev/outbox (never in production): every message the "outbox" channel would have sent, newest first,
 * so a newcomer sees what citizens receive without a mail server or an SMS contract.
 */

interface OutboxItem {
  id: string;
  channel: 'email' | 'sms';
  recipient: string;
  subject: string | null;
  text: string;
  html: string | null;
  encoding: string | null;
  segments: number | null;
  created_at: Date;
  case_code: string | null;
  kind: MessageKind | null;
  status: NotificationStatus | null;
  fallback_of: string | null;
}

async function outboxItems(db: Db, caseCode: string | undefined, limit: number): Promise<OutboxItem[]> {
  const rows = await sql<OutboxItem>`
    SELECT o.*, c.code AS case_code, n.kind, n.status, n.fallback_of
    FROM outbox_messages o
    LEFT JOIN notifications n ON n.id = o.id
    LEFT JOIN cases c ON c.id = n.case_id
    WHERE (${caseCode ?? null}::text IS NULL OR c.code = ${caseCode ?? null})
    ORDER BY o.created_at DESC, o.id
    LIMIT ${limit}`.execute(db);
  return rows.rows;
}

const time = new Intl.DateTimeFormat('it-IT', { timeZone: 'Europe/Rome', dateStyle: 'short', timeStyle: 'medium' });

function Message({ item }: { item: OutboxItem }) {
  return (
    <article class="message" id={`m-${item.id}`}>
      <header>
        <strong safe>{CHANNEL_LABELS[item.channel]}</strong> a <code safe>{item.recipient}</code>
        {' · '}
        <span safe>{time.format(item.created_at)}</span>
        {item.case_code ? <>{' · pratica '}<a href={`/dev/outbox?pratica=${encodeURIComponent(item.case_code)}`} safe>{item.case_code}</a></> : ''}
        {item.kind ? <>{' · '}<span safe>{KIND_LABELS[item.kind]}</span></> : ''}
        {item.status ? <>{' · stato: '}<span safe>{STATUS_LABELS[item.status]}</span></> : ''}
        {item.fallback_of ? ' · inviato in sostituzione di un messaggio non consegnato' : ''}
      </header>
      {item.subject ? <h2 safe>{item.subject}</h2> : ''}
      {item.channel === 'sms' ? <p class="meta" safe>{`${item.text.length} caratteri, codifica ${item.encoding ?? '?'}, ${item.segments ?? '?'} SMS`}</p> : ''}
      <pre safe>{item.text}</pre>
      {item.html ? (
        <details>
          <summary>Versione HTML</summary>
          <iframe title={`Versione HTML: ${item.subject ?? ''}`} sandbox="" srcdoc={item.html} />
        </details>
      ) : ''}
    </article>
  );
}

function OutboxPage({ items, caseCode }: { items: OutboxItem[]; caseCode: string | undefined }) {
  return (
    <>
      {'<!doctype html>'}
      <html lang="it">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>Messaggi in uscita (sviluppo) - Pratica Online</title>
          <link rel="stylesheet" href="/static/app/dev-outbox.css" />
        </head>
        <body>
          <main>
            <h1>Messaggi in uscita</h1>
            <p>
              Ambiente di sviluppo: con <code>EMAIL_TRANSPORT=outbox</code> e <code>SMS_TRANSPORT=outbox</code> i messaggi non
              partono, sono conservati qui. In produzione questa pagina non esiste.
            </p>
            {caseCode ? <p>Solo la pratica <strong safe>{caseCode}</strong> · <a href="/dev/outbox">tutti i messaggi</a></p> : ''}
            <p>{items.length} messaggi · <a href={caseCode ? `/dev/outbox.json?pratica=${encodeURIComponent(caseCode)}` : '/dev/outbox.json'}>JSON</a></p>
            {items.map((item) => <Message item={item} />)}
          </main>
        </body>
      </html>
    </>
  );
}

export function devOutboxRoutes(deps: AppDeps): FastifyPluginAsync {
  return async (app: FastifyInstance) => {
    if (deps.production) return; // CONFIG.md: no /dev/* pages in production
    const filter = (query: unknown) => {
      const value = (query as { pratica?: unknown }).pratica;
      return typeof value === 'string' && /^[A-Z0-9-]{1,20}$/i.test(value) ? value.toUpperCase() : undefined;
    };
    app.get('/dev/outbox', { schema: { hide: true } }, async (request, reply) => {
      const caseCode = filter(request.query);
      const items = await outboxItems(deps.db, caseCode, 200);
      return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(<OutboxPage items={items} caseCode={caseCode} />);
    });
    app.get('/dev/outbox.json', { schema: { hide: true } }, async (request, reply) => {
      const items = await outboxItems(deps.db, filter(request.query), 1000);
      return reply.header('cache-control', 'no-store').send({
        items: items.map((i) => ({
          id: i.id, channel: i.channel, recipient: i.recipient, subject: i.subject, text: i.text, html: i.html, encoding: i.encoding,
          segments: i.segments, createdAt: i.created_at.toISOString(), caseCode: i.case_code, kind: i.kind, status: i.status, fallbackOf: i.fallback_of,
        })),
      });
    });
  };
}
