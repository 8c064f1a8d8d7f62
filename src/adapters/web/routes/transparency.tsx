/**
 * Public pages, no sign-in: "Monitoraggio tempi procedimentali" (art. 1 c.28 L. 190/2012) and each procedure's
 * card with the information of art. 35 c.1 D.Lgs. 33/2013. No citizen's data; no figure from fewer than 5 cases.
 */
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import Html from '@kitajs/html';
import { publicTimes, transparencyYears } from '../../../application/reports/transparency.ts';
import type { PublicProcedureLine } from '../../../application/reports/transparency.ts';
import { DomainError } from '../../../domain/errors.ts';
import type { AppDeps } from '../deps.ts';
import { formatDate, num, reportText } from '../reports/text.ts';
import type { ReportText } from '../reports/text.ts';
import { format } from '../ui/i18n.ts';
import type { Lang } from '../ui/i18n.ts';
import { Layout } from '../ui/layout.tsx';
import { loadAdhesionProcedure } from '../../../application/adhesion.ts';
import { AdhesionForm, adhesionPdfPath } from '../backoffice/adhesion.tsx';
import { textOf } from '../backoffice/text.ts';
import { adhesionPdf } from '../adhesion-pdf.ts';
import { formatTerm } from '../../../domain/deadline/index.ts';
import { counted } from '../../../domain/plural.ts';
import { adhesionRequestPath } from './adhesion-request.tsx';
import { ADHESION_REQUEST_TEXT } from './adhesion-request-text.ts';

function Figure({ line, value, t }: { line: PublicProcedureLine; value: string; t: ReportText }): JSX.Element {
  return line.sufficient ? <td class="text-end" safe>{value}</td> : <td class="text-end text-muted" safe>{t.insufficient}</td>;
}

export function transparencyRoutes(deps: AppDeps): FastifyPluginAsync {
  return async (app: FastifyInstance) => {
    const frame = () => deps.frame.administration();

    app.get('/tempi-procedimentali', { schema: { hide: true } }, async (request, reply) => {
      const t = reportText(request.lang);
      const lang: Lang = request.lang;
      const asked = (request.query as Record<string, string | undefined>).anno;
      const years = await transparencyYears(deps);
      const year = asked === undefined || asked === '' ? years[0]! : /^\d{4}$/.test(asked) ? Number(asked) : NaN;
      if (Number.isNaN(year)) throw new DomainError('invalid-input', 'Anno non valido: indicare un anno di quattro cifre, es. 2026.', { field: 'anno' });
      const [data, administration] = await Promise.all([publicTimes(deps, year), frame()]);
      return reply
        .type('text/html; charset=utf-8')
        .header('cache-control', 'public, max-age=300')
        .send(
          <Layout lang={lang} title={t.transparencyTitle} area="portal" administration={administration} path={request.url} demo={!deps.production}>
            <h1 safe>{t.transparencyTitle}</h1>
            <p class="lead" safe>{t.transparencyIntro}</p>
            <form method="get" action="/trasparenza/tempi-procedimentali" class="row g-3 align-items-end mb-3">
              <div class="col-auto">
                <label class="form-label" for="anno" safe>{t.year}</label>
                <select class="form-select" id="anno" name="anno">
                  {years.map((y) => <option value={String(y)} selected={y === year} safe>{String(y)}</option>)}
                </select>
              </div>
              <div class="col-auto"><button type="submit" class="btn btn-primary" safe>{t.show}</button></div>
            </form>
            <p safe>{format(t.periodOf, { from: formatDate(data.from, lang), to: formatDate(data.to, lang) })}</p>
            <div class="table-responsive">
              <table class="table table-hover">
                <caption class="visually-hidden" safe>{`${t.transparencyTitle} ${year}`}</caption>
                <thead>
                  <tr>
                    <th scope="col" safe>{t.procedure}</th>
                    <th scope="col" safe>{t.office}</th>
                    <th scope="col" safe>{t.termLabel}</th>
                    <th scope="col" class="text-end" safe>{t.concluded}</th>
                    <th scope="col" class="text-end" safe>{t.onTimeShare}</th>
                    <th scope="col" class="text-end" safe>{t.meanNetShort}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.procedures.map((p) => (
                    <tr>
                      <th scope="row" class="fw-normal">
                        <a href={`/trasparenza/procedimenti/${encodeURIComponent(p.procedureCode)}`} safe>{p.procedureName}</a>
                      </th>
                      <td safe>{p.officeName}</td>
                      <td safe>{p.termText}</td>
                      <Figure line={p} value={num(p.concluded, lang)} t={t} />
                      <Figure line={p} value={num(p.onTimeShare, lang, '%')} t={t} />
                      <Figure line={p} value={num(p.meanNetDays, lang)} t={t} />
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <h2 class="h4" safe>{t.openData}</h2>
            <p>
              {Html.escapeHtml(t.openDataNote)}{' '}
              <a href={`/api/v1/open-data/tempi-procedimentali.json?anno=${year}`} type="application/json" safe>{t.openDataJson}</a>
              {' · '}
              <a href={`/api/v1/open-data/tempi-procedimentali.csv?anno=${year}`} type="text/csv" safe>{t.openDataCsv}</a>
            </p>
          </Layout>,
        );
    });

    // the adhesion form, printable and as a fillable PDF: what a citizen fills in to join the service
    app.get('/procedimenti/:code/modulo-adesione', { schema: { hide: true } }, async (request, reply) => {
      const { code } = request.params as { code: string };
      const [data, administration] = await Promise.all([loadAdhesionProcedure(deps.db, null, code, deps.io), frame()]);
      const bt = textOf(request.lang);
      const t = reportText(request.lang);
      const trail = [
        { href: '/trasparenza/tempi-procedimentali', label: t.transparencyTitle },
        { href: `/trasparenza/procedimenti/${encodeURIComponent(code)}`, label: format(t.cardOf, { name: data.procedure.name }) },
      ];
      return reply.type('text/html; charset=utf-8').header('cache-control', 'public, max-age=300').send(
        <Layout lang={request.lang} title={bt.adhesionTitle} area="portal" administration={administration} path={request.url} demo={!deps.production} trail={trail}>
          <p class="no-print">
            <span safe>{bt.adhesionPrint}</span> <a href={adhesionPdfPath(code)} type="application/pdf" safe>{t.adhesionPdf}</a>
          </p>
          <AdhesionForm t={bt} data={data} administration={administration} />
        </Layout>,
      );
    });

    app.get('/procedimenti/:code/modulo-adesione.pdf', { schema: { hide: true } }, async (request, reply) => {
      const { code } = request.params as { code: string };
      const [data, administration] = await Promise.all([loadAdhesionProcedure(deps.db, null, code, deps.io), frame()]);
      const pdf = await adhesionPdf(data, administration, textOf('it'));
      return reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename="modulo-adesione-${data.procedure.code.replace(/[^A-Za-z0-9-]/g, '')}.pdf"`)
        .header('cache-control', 'public, max-age=300')
        .send(Buffer.from(pdf));
    });

    app.get('/procedimenti/:code', { schema: { hide: true } }, async (request, reply) => {
      const t = reportText(request.lang);
      const lang: Lang = request.lang;
      const { code } = request.params as { code: string };
      const card = await deps.db
        .selectFrom('procedures')
        .innerJoin('offices', 'offices.id', 'procedures.office_id')
        .innerJoin('staff', 'staff.id', 'procedures.responsible_staff_id')
        .selectAll('procedures')
        .select([
          'offices.name as office_name', 'offices.address as office_address', 'offices.phone as office_phone', 'offices.email as office_email',
          'offices.pec as office_pec', 'offices.opening_hours as office_hours', 'staff.name as responsible_name', 'staff.phone as responsible_phone',
          'staff.email as responsible_email',
        ])
        .where('procedures.code', '=', code)
        .where('procedures.active', '=', true)
        .executeTakeFirst();
      if (!card) throw new DomainError('not-found', t.notFound);
      const year = Number(deps.clock.today().slice(0, 4));
      const [times, administration] = await Promise.all([publicTimes(deps, year), frame()]);
      const line = times.procedures.find((p) => p.procedureCode === card.code);
      const title = format(t.cardOf, { name: card.name });
      // art. 35 c.1 D.Lgs. 33/2013: a) description and legal basis, b) office, c) responsible with phone and
      // institutional e-mail, f) term, g) silenzio-assenso, i) remedies, m) substitute power
      const rows: [string, string][] = [
        [t.description, card.description],
        [t.legalBasis, card.legal_basis],
        [t.termLabel, card.term_text],
        [t.silenzio, card.silenzio_assenso ? t.silenzioYes : t.silenzioNo],
        [t.responsible, [card.responsible_name, card.responsible_phone, card.responsible_email].filter(Boolean).join(' · ')],
        [t.substitute, [card.substitute_name, card.substitute_contact].filter(Boolean).join(' · ')],
        [t.remedies, t.remediesText],
        // D.L. 69/2013 art. 28 c.1: the art. 35 information tells of the indemnity, how and when to claim it
        [t.indemnity, card.business_activity && !card.silenzio_assenso ? format(t.indemnityText, { half: halfOfCard(card, lang) }) : ''],
      ];
      return reply
        .type('text/html; charset=utf-8')
        .header('cache-control', 'public, max-age=300')
        .send(
          <Layout lang={lang} title={title} area="portal" administration={administration} path={request.url} demo={!deps.production}>
            <p><a href="/trasparenza/tempi-procedimentali" safe>{t.backToTransparency}</a></p>
            <h1 safe>{card.name}</h1>
            <p class="text-muted" safe>{`${t.card} ${card.code}`}</p>
            <dl class="row">
              {rows.filter(([, value]) => value).map(([label, value]) => (
                <>
                  <dt class="col-md-4" safe>{label}</dt>
                  <dd class="col-md-8" safe>{value}</dd>
                </>
              ))}
            </dl>
            <h2 class="h4" safe>{t.responsibleOffice}</h2>
            <dl class="row">
              {([
                [t.office, card.office_name], [t.address, card.office_address], [t.phone, card.office_phone], [t.email, card.office_email],
                [t.pec, card.office_pec], [t.openingHours, card.office_hours],
              ] as [string, string | null][]).filter(([, v]) => v).map(([label, value]) => (
                <>
                  <dt class="col-md-4" safe>{label}</dt>
                  <dd class="col-md-8" safe>{value}</dd>
                </>
              ))}
            </dl>
            <h2 class="h4" safe>{`${t.timesOfProcedure} ${year}`}</h2>
            {line && line.sufficient ? (
              <dl class="row">
                <dt class="col-md-4" safe>{t.concluded}</dt><dd class="col-md-8" safe>{num(line.concluded, lang)}</dd>
                <dt class="col-md-4" safe>{t.onTimeShare}</dt><dd class="col-md-8" safe>{num(line.onTimeShare, lang, '%')}</dd>
                <dt class="col-md-4" safe>{t.meanNetShort}</dt><dd class="col-md-8" safe>{num(line.meanNetDays, lang)}</dd>
              </dl>
            ) : <p safe>{t.insufficient}</p>}
            <h2 class="h4" safe>{t.howToFollow}</h2>
            <p safe>{t.howToFollowText}</p>
            <ul>
              <li><a href="/pratica" safe>{t.follow}</a></li>
              {card.term_amount !== null ? (
                <>
                  <li><a href={adhesionRequestPath(card.code)} safe>{ADHESION_REQUEST_TEXT[lang].link}</a></li>
                  <li><a href={adhesionPdfPath(card.code)} type="application/pdf" safe>{t.adhesionPdf}</a></li>
                  <li><a href={`/trasparenza/procedimenti/${encodeURIComponent(card.code)}/modulo-adesione`} safe>{t.adhesionPrintable}</a></li>
                </>
              ) : (
                ''
              )}
            </ul>
          </Layout>,
        );
    });
  };
}

/** Art. 2 c.9-ter L. 241/1990: the substitute's term, half the card's (for months: half their days, known per case). */
function halfOfCard(card: { term_amount: number | null; term_unit: 'calendar-days' | 'working-days' | 'months' | null }, lang: Lang): string {
  if (card.term_amount === null || card.term_unit === null) return lang === 'it' ? 'metà del termine' : 'half the time limit';
  if (card.term_unit === 'months') return lang === 'it' ? `metà di ${formatTerm({ amount: card.term_amount, unit: 'months' })}` : `half of ${counted(card.term_amount, 'month', 'en')}`;
  return counted(Math.ceil(card.term_amount / 2), card.term_unit === 'working-days' ? 'working-day' : 'day', lang);
}
