import Html from '@kitajs/html';
import type { FastifyInstance } from 'fastify';
import { listProcedures } from '../../../application/catalogue.ts';
import { loadAdhesionProcedure } from '../../../application/adhesion.ts';
import type { AdhesionProcedure } from '../../../application/adhesion.ts';
import type { PageAdministration } from '../../../application/administration.ts';
import { scopeOf } from '../../../domain/policy.ts';
import type { BackofficeKit } from './kit.ts';
import { Page } from './page.tsx';
import { fill } from './text.ts';
import type { BackofficeText } from './text.ts';

/** Blank lines to write on by hand, labelled for screen readers too. */
function Blank({ label, lines = 1 }: { label: string; lines?: number }): JSX.Element {
  return (
    <div class="mb-3 adhesion-field">
      <p class="mb-1 fw-semibold" safe>{label}</p>
      {Array.from({ length: lines }, () => <div class="adhesion-line" aria-hidden="true"></div>)}
    </div>
  );
}

/** The citizen's adhesion form, per procedure, printable from the browser (docs/backoffice.md). */
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
    const data = await loadAdhesionProcedure(deps.db, scopeOf(request.staff!), request.params.code, deps.io);
    return kit.render(request, reply, 200, (ctx) => (
      <Page ctx={ctx} title={`${ctx.t.adhesionForm} ${data.procedure.code}`} section="form">
        <p class="no-print">
          <a href="/uffici/modulo-adesione">{Html.escapeHtml(ctx.t.adhesionForm)}</a> · {Html.escapeHtml(ctx.t.adhesionPrint)} ·{' '}
          <a href={adhesionPdfPath(data.procedure.code)} type="application/pdf">{Html.escapeHtml(ctx.t.adhesionPdf)}</a>
        </p>
        <AdhesionForm t={ctx.t} data={data} administration={ctx.administration} />
      </Page>
    ));
  });
}

/** The fillable PDF of a procedure's adhesion form: public, like the procedure's card. */
export function adhesionPdfPath(code: string): string {
  return `/trasparenza/procedimenti/${encodeURIComponent(code)}/modulo-adesione.pdf`;
}

/** The printable form, the same for the staff and the public; the PDF has the same texts as fields. */
export function AdhesionForm({ t, data, administration }: { t: BackofficeText; data: AdhesionProcedure; administration: PageAdministration }): JSX.Element {
  const { procedure, office, term } = data;
  return (
    <article class="adhesion-form">
      <p class="mb-1" safe>{administration.name}</p>
      <h1 class="h3">{Html.escapeHtml(t.adhesionTitle)}</h1>
      <dl class="row mb-3">
        <dt class="col-4">{Html.escapeHtml(t.procedure)}</dt><dd class="col-8" safe>{`${procedure.code} — ${procedure.name}`}</dd>
        <dt class="col-4">{Html.escapeHtml(t.completionTime)}</dt><dd class="col-8" safe>{term}</dd>
        <dt class="col-4">{Html.escapeHtml(t.competentOffice)}</dt><dd class="col-8" safe>{`${office.name}, ${office.address}${office.pec ? ` — PEC ${office.pec}` : ''}`}</dd>
        <dt class="col-4">{Html.escapeHtml(t.responsible)}</dt><dd class="col-8" safe>{`${procedure.responsible_name} — ${procedure.responsible_email}${procedure.responsible_phone ? `, ${t.phoneShort} ${procedure.responsible_phone}` : ''}`}</dd>
      </dl>
      <p>{Html.escapeHtml(t.adhesionRequest)}</p>
      <p>
        <span aria-hidden="true">☐</span> {Html.escapeHtml(t.adhesionSms)} &nbsp; <span aria-hidden="true">☐</span> {Html.escapeHtml(t.adhesionEmail)}
        {data.ioOffered ? <> &nbsp; <span aria-hidden="true">☐</span> <span id="adhesion-io" safe>{t.adhesionIo}</span></> : ''}
      </p>
      <Blank label={t.applicantFullName} />
      <Blank label={t.applicationSubject} lines={2} />
      <Blank label={t.mobileNumber} />
      <Blank label={t.emailAddress} />
      {data.ioOffered ? <Blank label={t.adhesionFiscalCode} /> : ''}
      <p class="small" safe>{fill(t.privacy, { admin: administration.name })}</p>
      {administration.privacyNoticeUrl ? <p class="small"><span safe>{t.privacyNoticeAt}</span> <span safe>{administration.privacyNoticeUrl}</span></p> : ''}
      <p class="small"><span aria-hidden="true">☐</span> {Html.escapeHtml(t.adhesionConsent)}</p>
      <p class="small">{Html.escapeHtml(t.adhesionCredentials)}</p>
      <div class="row mt-4">
        <div class="col-6"><Blank label={t.date} /></div>
        <div class="col-6"><Blank label={t.signature} /></div>
      </div>
      <section class="border p-3 mt-3" aria-labelledby="h-office-use">
        <h2 class="h6" id="h-office-use">{Html.escapeHtml(t.officeUse)}</h2>
        <div class="row">
          <div class="col-6"><Blank label={t.receivedOn} /></div>
          <div class="col-6"><Blank label={t.protocolNumber} /></div>
        </div>
        <Blank label={t.assignedCaseCode} />
      </section>
    </article>
  );
}
