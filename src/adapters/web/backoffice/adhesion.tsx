import Html from '@kitajs/html';
import type { FastifyInstance } from 'fastify';
import { getProcedure, listProcedures } from '../../../application/catalogue.ts';
import { describeTerm } from '../../../domain/procedure.ts';
import { DomainError } from '../../../domain/errors.ts';
import { scopeOf } from '../../../domain/policy.ts';
import type { BackofficeKit } from './plugin.tsx';
import { Page } from './page.tsx';
import { fill } from './text.ts';

/** Blank lines to write on by hand, labelled for screen readers too. */
function Blank({ label, lines = 1 }: { label: string; lines?: number }): JSX.Element {
  return (
    <div class="mb-3 adhesion-field">
      <p class="mb-1 fw-semibold" safe>{label}</p>
      {Array.from({ length: lines }, () => <div class="adhesion-line" aria-hidden="true"></div>)}
    </div>
  );
}

/** Seed sections 3 and 6: the citizen's adhesion form, per procedure, printable from the browser. */
export async function adhesionRoutes(app: FastifyInstance, kit: BackofficeKit): Promise<void> {
  const { deps } = kit;

  app.get('/modulo-adesione', async (request, reply) => {
    const procedures = (await listProcedures(deps.db, scopeOf(request.staff!))).filter((p) => p.term_amount !== null && p.active);
    return kit.render(request, reply, 200, (ctx) => (
      <Page ctx={ctx} title={ctx.t.adhesionForm} section="form">
        <h1>{Html.escapeHtml(ctx.t.adhesionForm)}</h1>
        <p>Il modulo con cui il cittadino aderisce al servizio «La tua pratica on line», da stampare e consegnare a richiesta (seed, sezione 6).</p>
        <ul>
          {procedures.map((p) => <li><a href={`/uffici/modulo-adesione/${encodeURIComponent(p.code)}`} safe>{`${p.code} — ${p.name}`}</a></li>)}
        </ul>
      </Page>
    ));
  });

  app.get<{ Params: { code: string } }>('/modulo-adesione/:code', async (request, reply) => {
    const procedure = await getProcedure(deps.db, scopeOf(request.staff!), request.params.code);
    if (procedure.term_amount === null || !procedure.active) {
      throw new DomainError('term-not-numeric', `Il procedimento "${procedure.name}" non può aderire al servizio: non ha un tempo di erogazione numerico o non è attivo.`);
    }
    const office = await deps.db.selectFrom('offices').selectAll().where('id', '=', procedure.office_id).executeTakeFirstOrThrow();
    const term = describeTerm({ name: procedure.name, termText: procedure.term_text, termAmount: procedure.term_amount, termUnit: procedure.term_unit, active: procedure.active });
    return kit.render(request, reply, 200, (ctx) => (
      <Page ctx={ctx} title={`${ctx.t.adhesionForm} ${procedure.code}`} section="form">
        <p class="no-print"><a href="/uffici/modulo-adesione">{Html.escapeHtml(ctx.t.adhesionForm)}</a> · Per stamparlo usare la funzione Stampa del browser (Ctrl+P): menu e intestazioni non vengono stampati.</p>
        <article class="adhesion-form">
          <p class="mb-1" safe>{ctx.administrationName}</p>
          <h1 class="h3">Modulo di adesione al servizio «La tua pratica on line»</h1>
          <dl class="row mb-3">
            <dt class="col-4">Procedimento</dt><dd class="col-8" safe>{`${procedure.code} — ${procedure.name}`}</dd>
            <dt class="col-4">Tempo di conclusione</dt><dd class="col-8" safe>{term}</dd>
            <dt class="col-4">Ufficio competente</dt><dd class="col-8" safe>{`${office.name}, ${office.address}${office.pec ? ` — PEC ${office.pec}` : ''}`}</dd>
            <dt class="col-4">Responsabile del procedimento</dt><dd class="col-8" safe>{`${procedure.responsible_name} — ${procedure.responsible_email}${procedure.responsible_phone ? `, tel. ${procedure.responsible_phone}` : ''}`}</dd>
          </dl>
          <p>Il/la sottoscritto/a chiede di essere informato/a su ogni cambio di stato della propria pratica (avvio, sospensione, riattivazione, chiusura) tramite:</p>
          <p><span aria-hidden="true">☐</span> SMS al numero di cellulare &nbsp; <span aria-hidden="true">☐</span> E-MAIL all'indirizzo (indicare uno o entrambi)</p>
          <Blank label="Nome e cognome / ragione sociale del richiedente" />
          <Blank label="Oggetto della domanda" lines={2} />
          <Blank label="Numero di cellulare" />
          <Blank label="Indirizzo e-mail" />
          <p class="small" safe>{fill(ctx.t.privacy, { admin: ctx.administrationName })}</p>
          <p class="small">Ad ogni messaggio riceverà il codice pratica e la password per consultare la pagina «La tua pratica on line». Per lasciare il servizio basta comunicarlo al responsabile del procedimento.</p>
          <div class="row mt-4">
            <div class="col-6"><Blank label="Data" /></div>
            <div class="col-6"><Blank label="Firma" /></div>
          </div>
          <section class="border p-3 mt-3" aria-labelledby="h-office-use">
            <h2 class="h6" id="h-office-use">Riservato all'ufficio</h2>
            <div class="row">
              <div class="col-6"><Blank label="Data di ricevimento (protocollo)" /></div>
              <div class="col-6"><Blank label="Numero di protocollo" /></div>
            </div>
            <Blank label="Codice pratica assegnato" />
          </section>
        </article>
      </Page>
    ));
  });
}
