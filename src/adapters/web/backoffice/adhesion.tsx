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
        <p>{Html.escapeHtml(ctx.t.adhesionIntro)}</p>
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
        <p class="no-print"><a href="/uffici/modulo-adesione">{Html.escapeHtml(ctx.t.adhesionForm)}</a> · {Html.escapeHtml(ctx.t.adhesionPrint)}</p>
        <article class="adhesion-form">
          <p class="mb-1" safe>{ctx.administrationName}</p>
          <h1 class="h3">{Html.escapeHtml(ctx.t.adhesionTitle)}</h1>
          <dl class="row mb-3">
            <dt class="col-4">{Html.escapeHtml(ctx.t.procedure)}</dt><dd class="col-8" safe>{`${procedure.code} — ${procedure.name}`}</dd>
            <dt class="col-4">{Html.escapeHtml(ctx.t.completionTime)}</dt><dd class="col-8" safe>{term}</dd>
            <dt class="col-4">{Html.escapeHtml(ctx.t.competentOffice)}</dt><dd class="col-8" safe>{`${office.name}, ${office.address}${office.pec ? ` — PEC ${office.pec}` : ''}`}</dd>
            <dt class="col-4">{Html.escapeHtml(ctx.t.responsible)}</dt><dd class="col-8" safe>{`${procedure.responsible_name} — ${procedure.responsible_email}${procedure.responsible_phone ? `, ${ctx.t.phoneShort} ${procedure.responsible_phone}` : ''}`}</dd>
          </dl>
          <p>{Html.escapeHtml(ctx.t.adhesionRequest)}</p>
          <p><span aria-hidden="true">☐</span> {Html.escapeHtml(ctx.t.adhesionSms)} &nbsp; <span aria-hidden="true">☐</span> {Html.escapeHtml(ctx.t.adhesionEmail)}</p>
          <Blank label={ctx.t.applicantFullName} />
          <Blank label={ctx.t.applicationSubject} lines={2} />
          <Blank label={ctx.t.mobileNumber} />
          <Blank label={ctx.t.emailAddress} />
          <p class="small" safe>{fill(ctx.t.privacy, { admin: ctx.administrationName })}</p>
          {ctx.administration.privacyNoticeUrl ? <p class="small"><span safe>{ctx.t.privacyNoticeAt}</span> <span safe>{ctx.administration.privacyNoticeUrl}</span></p> : ''}
          <p class="small">{Html.escapeHtml(ctx.t.adhesionCredentials)}</p>
          <div class="row mt-4">
            <div class="col-6"><Blank label={ctx.t.date} /></div>
            <div class="col-6"><Blank label={ctx.t.signature} /></div>
          </div>
          <section class="border p-3 mt-3" aria-labelledby="h-office-use">
            <h2 class="h6" id="h-office-use">{Html.escapeHtml(ctx.t.officeUse)}</h2>
            <div class="row">
              <div class="col-6"><Blank label={ctx.t.receivedOn} /></div>
              <div class="col-6"><Blank label={ctx.t.protocolNumber} /></div>
            </div>
            <Blank label={ctx.t.assignedCaseCode} />
          </section>
        </article>
      </Page>
    ));
  });
}
