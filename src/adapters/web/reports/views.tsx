/** The report pages' views: pure functions of the page context, the texts and the figures the routes read. */
import Html from '@kitajs/html';
import { DRILLDOWN_PAGE } from '../../../application/reports/drilldown.ts';
import type { OfficeSatisfaction, QuestionResult, SatisfactionGroup } from '../../../application/reports/satisfaction.ts';
import type { ReportFilter, TimesReport } from '../../../application/reports/times.ts';
import { STATE_LABELS } from '../../../domain/case/states.ts';
import { QUESTIONS } from '../../../domain/portal/questionnaire.ts';
import { publishable } from '../../../domain/reports/statistics.ts';
import { SUBSTITUTE_OUTCOMES, SUSPENSION_KINDS } from '../../../domain/deadline/index.ts';
import type { PresentedFigures } from '../../../domain/reports/statistics.ts';
import type { RemedyFigures } from '../../../domain/reports/remedies.ts';
import { Page } from '../backoffice/page.tsx';
import type { PageContext } from '../backoffice/page.tsx';
import { format } from '../ui/i18n.ts';
import type { Lang } from '../ui/i18n.ts';
import { BarChart } from './charts.tsx';
import { euros, formatDate, num } from './text.ts';
import type { ReportText } from './text.ts';

import type { Drilldown } from '../../../application/reports/drilldown.ts';
import type { SatisfactionReport } from '../../../application/reports/satisfaction.ts';

/** The query string of a filter, plus extra parameters: every link keeps the period and the selection. */
export function link(path: string, f: ReportFilter, extra: Record<string, string | number> = {}): string {
  const params = new URLSearchParams({ dal: f.from, al: f.to });
  if (f.officeCode) params.set('ufficio', f.officeCode);
  if (f.procedureCode) params.set('procedimento', f.procedureCode);
  for (const [k, v] of Object.entries(extra)) params.set(k, String(v));
  return `${path}?${params.toString()}`;
}

function NumberLink(props: { value: number | null; href: string; lang: Lang }): JSX.Element {
  if (!props.value) return Html.escapeHtml(num(props.value ?? 0, props.lang));
  return <a href={props.href} safe>{num(props.value, props.lang)}</a>;
}

function FilterForm({ t, filter, offices, procedures, admin }: {
  t: ReportText; filter: ReportFilter; admin: boolean;
  offices: { code: string; name: string }[]; procedures: { code: string; name: string }[];
}): JSX.Element {
  return (
    <form method="get" action="/uffici/report" class="row g-3 align-items-end mb-4 no-print">
      <div class="col-sm-6 col-lg-2">
        <label class="form-label" for="dal" safe>{t.from}</label>
        <input class="form-control" type="date" id="dal" name="dal" value={filter.from} required />
      </div>
      <div class="col-sm-6 col-lg-2">
        <label class="form-label" for="al" safe>{t.to}</label>
        <input class="form-control" type="date" id="al" name="al" value={filter.to} required />
      </div>
      {admin ? (
        <div class="col-sm-6 col-lg-3">
          <label class="form-label" for="ufficio" safe>{t.office}</label>
          <select class="form-select" id="ufficio" name="ufficio">
            <option value="" safe>{t.allOffices}</option>
            {offices.map((o) => <option value={o.code} selected={o.code === filter.officeCode} safe>{`${o.code} - ${o.name}`}</option>)}
          </select>
        </div>
      ) : ''}
      <div class="col-sm-6 col-lg-3">
        <label class="form-label" for="procedimento" safe>{t.procedure}</label>
        <select class="form-select" id="procedimento" name="procedimento">
          <option value="" safe>{t.allProcedures}</option>
          {procedures.map((p) => <option value={p.code} selected={p.code === filter.procedureCode} safe>{`${p.code} - ${p.name}`}</option>)}
        </select>
      </div>
      <div class="col-lg-2">
        <button type="submit" class="btn btn-primary" safe>{t.update}</button>
      </div>
    </form>
  );
}

interface Line {
  kind: 'procedure' | 'office' | 'total';
  label: string;
  term: string;
  figures: PresentedFigures;
  remedies: RemedyFigures;
  filter: ReportFilter;
}

function linesOf(report: TimesReport, filter: ReportFilter, t: ReportText): Line[] {
  const lines: Line[] = [];
  for (const office of report.offices) {
    for (const p of report.procedures.filter((x) => x.officeCode === office.officeCode)) {
      lines.push({
        kind: 'procedure', label: `${p.procedureCode} - ${p.procedureName}`, term: p.termText, figures: p.figures, remedies: p.remedies,
        filter: { ...filter, officeCode: p.officeCode, procedureCode: p.procedureCode },
      });
    }
    if (!filter.procedureCode) {
      lines.push({ kind: 'office', label: `${t.officeTotal} ${office.officeCode}`, term: '', figures: office.figures, remedies: office.remedies, filter: { ...filter, officeCode: office.officeCode } });
    }
  }
  if (report.offices.length > 1) lines.push({ kind: 'total', label: t.total, term: '', figures: report.total, remedies: report.totalRemedies, filter });
  return lines;
}

export function ReportPage({ ctx, t, report, filter, offices, procedures }: {
  ctx: PageContext; t: ReportText; report: TimesReport; filter: ReportFilter;
  offices: { code: string; name: string }[]; procedures: { code: string; name: string }[];
}): JSX.Element {
  const lang = ctx.lang;
  const lines = linesOf(report, filter, t);
  const drill = (f: ReportFilter, metric: string) => link('/uffici/report/pratiche', f, { dato: metric });
  const total = report.total;
  const rowClass = (l: Line) => (l.kind === 'procedure' ? '' : 'fw-semibold table-light');
  const RowHead = ({ l }: { l: Line }) => <th scope="row" class={l.kind === 'procedure' ? 'fw-normal' : ''} safe>{l.label}</th>;
  return (
    <Page ctx={ctx} section="reports" title={t.reports}>
      <h1 safe>{t.reports}</h1>
      <p class="lead" safe>{t.reportsIntro}</p>
      <FilterForm t={t} filter={filter} offices={offices} procedures={procedures} admin={ctx.user?.role === 'admin'} />
      <ul class="list-inline no-print">
        <li class="list-inline-item"><a class="btn btn-outline-primary btn-sm" href={link('/uffici/report/export.csv', filter)} safe>{t.exportCsv}</a></li>
        <li class="list-inline-item"><a class="btn btn-outline-primary btn-sm" href={link('/uffici/report/export.json', filter)} safe>{t.exportJson}</a></li>
        <li class="list-inline-item"><a href={`/uffici/report/soddisfazione?dal=${filter.from.slice(0, 7)}&al=${filter.to.slice(0, 7)}`} safe>{t.satisfaction}</a></li>
        <li class="list-inline-item"><a href="/trasparenza/tempi-procedimentali" safe>{t.publicPage}</a></li>
      </ul>

      <h2 class="h4" safe>{`${t.summary}: ${formatDate(report.from, lang)} - ${formatDate(report.to, lang)}`}</h2>
      <dl class="row report-summary">
        {([
          [t.started, <NumberLink value={total.started} href={drill(filter, 'started')} lang={lang} />],
          [t.closed, <NumberLink value={total.closed} href={drill(filter, 'closed')} lang={lang} />],
          [t.openAtEnd, <NumberLink value={total.openAtEnd} href={drill(filter, 'open')} lang={lang} />],
          [t.onTimeShare, Html.escapeHtml(num(total.onTimeShare, lang, '%'))],
          [t.meanNet, Html.escapeHtml(num(total.meanNetDays, lang))],
          [t.medianNet, Html.escapeHtml(num(total.netDaysMedian, lang))],
          [t.overdueOpen, <NumberLink value={total.overdueOpen} href={drill(filter, 'overdue')} lang={lang} />],
          [t.longestOpenDelay, Html.escapeHtml(num(total.longestOpenDelay, lang))],
        ] as [string, JSX.Element][]).map(([label, value]) => (
          <div class="col-6 col-md-3 mb-3">
            <dt class="fw-normal" safe>{label}</dt>
            <dd class="h4 mb-0">{value}</dd>
          </div>
        ))}
      </dl>

      <h2 class="h4 mt-4" safe>{t.timesTable}</h2>
      <div class="table-responsive">
        <table class="table table-sm table-hover report-table">
          <caption class="visually-hidden" safe>{t.timesTable}</caption>
          <thead>
            <tr>
              <th scope="col" safe>{t.procedure}</th>
              <th scope="col" safe>{t.term}</th>
              <th scope="col" class="text-end" safe>{t.started}</th>
              <th scope="col" class="text-end" safe>{t.closed}</th>
              <th scope="col" class="text-end" safe>{t.openAtEnd}</th>
              <th scope="col" class="text-end" safe>{t.onTimeShare}</th>
              <th scope="col" class="text-end" safe>{t.meanGross}</th>
              <th scope="col" class="text-end" safe>{t.meanNet}</th>
              <th scope="col" class="text-end" safe>{t.medianGross}</th>
              <th scope="col" class="text-end" safe>{t.medianNet}</th>
            </tr>
          </thead>
          <tbody>
            {lines.map((l) => (
              <tr class={rowClass(l)}>
                <RowHead l={l} />
                <td safe>{l.term}</td>
                <td class="text-end"><NumberLink value={l.figures.started} href={drill(l.filter, 'started')} lang={lang} /></td>
                <td class="text-end"><NumberLink value={l.figures.closed} href={drill(l.filter, 'closed')} lang={lang} /></td>
                <td class="text-end"><NumberLink value={l.figures.openAtEnd} href={drill(l.filter, 'open')} lang={lang} /></td>
                <td class="text-end">
                  {l.figures.closed ? <a href={drill(l.filter, 'closed-on-time')} safe>{num(l.figures.onTimeShare, lang, '%')}</a> : '–'}
                </td>
                <td class="text-end" safe>{num(l.figures.meanGrossDays, lang)}</td>
                <td class="text-end" safe>{num(l.figures.meanNetDays, lang)}</td>
                <td class="text-end" safe>{num(l.figures.grossDaysMedian, lang)}</td>
                <td class="text-end" safe>{num(l.figures.netDaysMedian, lang)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p class="small" safe>{t.grossNetNote}</p>

      <h2 class="h4 mt-4" safe>{t.delaysTable}</h2>
      <div class="table-responsive">
        <table class="table table-sm table-hover report-table">
          <caption class="visually-hidden" safe>{t.delaysTable}</caption>
          <thead>
            <tr>
              <th scope="col" rowspan="2" safe>{t.procedure}</th>
              {SUSPENSION_KINDS.map((k) => <th scope="colgroup" colspan="2" class="text-center" safe>{t[k]}</th>)}
              <th scope="col" rowspan="2" class="text-end" safe>{t.longestClosedDelay}</th>
              <th scope="col" rowspan="2" class="text-end" safe>{t.overdueOpen}</th>
              <th scope="col" rowspan="2" class="text-end" safe>{t.longestOpenDelay}</th>
              <th scope="col" rowspan="2" class="text-end" safe>{t.silenzioAssenso}</th>
            </tr>
            <tr>
              {SUSPENSION_KINDS.map(() => (
                <>
                  <th scope="col" class="text-end" safe>{t.count}</th>
                  <th scope="col" class="text-end" safe>{t.days}</th>
                </>
              ))}
            </tr>
          </thead>
          <tbody>
            {lines.map((l) => (
              <tr class={rowClass(l)}>
                <RowHead l={l} />
                {SUSPENSION_KINDS.map((k) => (
                  <>
                    <td class="text-end"><NumberLink value={l.figures.suspensions[k].count} href={drill(l.filter, `suspension:${k}`)} lang={lang} /></td>
                    <td class="text-end" safe>{num(l.figures.suspensions[k].days, lang)}</td>
                  </>
                ))}
                <td class="text-end">
                  {l.figures.longestClosedDelay ? <a href={drill(l.filter, 'closed-late')} safe>{num(l.figures.longestClosedDelay, lang)}</a> : '–'}
                </td>
                <td class="text-end"><NumberLink value={l.figures.overdueOpen} href={drill(l.filter, 'overdue')} lang={lang} /></td>
                <td class="text-end" safe>{num(l.figures.longestOpenDelay, lang)}</td>
                <td class="text-end"><NumberLink value={l.figures.silenzioAssenso} href={drill(l.filter, 'silenzio-assenso')} lang={lang} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h2 class="h4 mt-4" safe>{t.remediesTable}</h2>
      <div class="table-responsive">
        <table class="table table-sm table-hover report-table" id="remedies-table">
          <caption class="visually-hidden" safe>{t.remediesTable}</caption>
          <thead>
            <tr>
              <th scope="col" safe>{t.procedure}</th>
              <th scope="col" class="text-end" safe>{t.substituteRequests}</th>
              {SUBSTITUTE_OUTCOMES.map((o) => <th scope="col" class="text-end" safe>{t[`outcome_${o}`]}</th>)}
              <th scope="col" class="text-end" safe>{t.indemnityCases}</th>
              <th scope="col" class="text-end" safe>{t.indemnityAccrued}</th>
              <th scope="col" class="text-end" safe>{t.indemnityPaid}</th>
            </tr>
          </thead>
          <tbody>
            {lines.map((l) => (
              <tr class={rowClass(l)}>
                <RowHead l={l} />
                <td class="text-end" safe>{num(l.remedies.substituteRequests, lang)}</td>
                {SUBSTITUTE_OUTCOMES.map((o) => <td class="text-end" safe>{num(l.remedies.substituteOutcomes[o], lang)}</td>)}
                <td class="text-end" safe>{num(l.remedies.indemnityCases, lang)}</td>
                <td class="text-end" safe>{num(l.remedies.indemnityAccruedEuro, lang)}</td>
                <td class="text-end" safe>{euros(l.remedies.indemnityPaidCents, lang)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p class="small" safe>{t.remediesNote}</p>

      <h2 class="h4 mt-4" safe>{t.charts}</h2>
      <BarChart
        id="chart-monthly"
        title={t.chartMonthly}
        description={`${t.chartMonthlyDesc} ${report.monthly.map((m) => `${m.month}: ${num(m.onTimeShare, lang, '%')}`).join('; ')}.`}
        max={100}
        labelHeader={t.month}
        valueHeader={t.share}
        extraHeaders={[t.closed]}
        extraCells={report.monthly.map((m) => [num(m.closed, lang)])}
        bars={report.monthly.map((m) => ({ label: m.month, value: m.onTimeShare ?? 0, display: num(m.onTimeShare, lang, '%') }))}
      />
      <BarChart
        id="chart-durations"
        title={t.chartDurations}
        description={`${t.chartDurationsDesc} ${report.durations.map((d) => `${d.label}: ${d.count}`).join('; ')}.`}
        labelHeader={t.durationDays}
        valueHeader={t.cases}
        bars={report.durations.map((d) => ({ label: d.label, value: d.count, display: num(d.count, lang), href: d.count ? drill(filter, `duration:${d.bucket}`) : undefined }))}
      />
      <BarChart
        id="chart-open"
        title={t.chartOpen}
        description={`${t.chartOpenDesc} ${report.openByDeadline.map((b) => `${t[b.bucket]}: ${b.count}`).join('; ')}.`}
        labelHeader={t.daysToDeadline}
        valueHeader={t.cases}
        bars={report.openByDeadline.map((b) => ({
          label: t[b.bucket], shortLabel: t[`short_${b.bucket}`], value: b.count, display: num(b.count, lang), tone: b.bucket.startsWith('overdue') ? 'warning' as const : 'normal' as const,
          href: b.count ? drill(filter, `open-by-deadline:${b.bucket}`) : undefined,
        }))}
      />
    </Page>
  );
}

export function metricLabel(t: ReportText, metric: string): string {
  const [head, tail] = metric.split(':');
  if (head === 'suspension') return format(t.metric_suspension, { kind: t[tail as 'art2c7'] });
  if (head === 'duration') return format(t.metric_duration, { label: ['0-15', '16-30', '31-60', '61-90', '91-180', '> 180'][Number(tail)] ?? '' });
  if (head === 'open-by-deadline') return format(t['metric_open-by-deadline'], { label: t[tail as 'later'] });
  return t[`metric_${head}` as 'metric_started'];
}

/** The export rows: the same lines and figures as the page. */
export function exportRows(report: TimesReport, filter: ReportFilter, t: ReportText) {
  const header = [
    'livello', 'ufficio', 'procedimento', 'denominazione', 'termine', 'dal', 'al', 'avviate', 'concluse', 'aperte_fine_periodo',
    'concluse_entro_termine', 'quota_entro_termine_pct', 'durata_media_lorda_gg', 'durata_media_netta_gg', 'durata_mediana_lorda_gg',
    'durata_mediana_netta_gg', 'ritardo_max_concluse_gg',
    ...SUSPENSION_KINDS.flatMap((k) => [`sospensioni_${k}`, `giorni_sospensione_${k}`]),
    'aperte_oltre_termine_oggi', 'ritardo_max_aperte_gg', 'silenzio_assenso',
    'richieste_sostituto', ...SUBSTITUTE_OUTCOMES.map((o) => `sostituto_${o.replace('-', '_')}`), 'indennizzi_dovuti', 'indennizzi_maturati_euro', 'indennizzi_pagati_euro',
  ];
  const rows = linesOf(report, filter, t).map((l) => {
    const f = l.figures;
    return [
      l.kind === 'procedure' ? 'procedimento' : l.kind === 'office' ? 'ufficio' : 'totale',
      l.filter.officeCode ?? '', l.kind === 'procedure' ? l.filter.procedureCode ?? '' : '', l.label, l.term, report.from, report.to,
      f.started, f.closed, f.openAtEnd, f.closedOnTime, f.onTimeShare, f.meanGrossDays, f.meanNetDays, f.grossDaysMedian, f.netDaysMedian,
      f.longestClosedDelay, ...SUSPENSION_KINDS.flatMap((k) => [f.suspensions[k].count, f.suspensions[k].days]),
      f.overdueOpen, f.longestOpenDelay, f.silenzioAssenso,
      l.remedies.substituteRequests, ...SUBSTITUTE_OUTCOMES.map((o) => l.remedies.substituteOutcomes[o]), l.remedies.indemnityCases,
      l.remedies.indemnityAccruedEuro, l.remedies.indemnityPaidCents / 100,
    ];
  });
  return { header, rows };
}

/** How many answers a group had: the number only when its figures are shown. */
function answersText(g: SatisfactionGroup, t: ReportText, lang: Lang): string {
  if (g.shown) return num(g.answers, lang);
  return publishable(g.answers) ? t.withheld : '< 5';
}

/** Why a group's figures are not shown: too few answers, or withheld so that a smaller group cannot be worked out. */
function notShownText(g: SatisfactionGroup, t: ReportText): string {
  return publishable(g.answers) ? t.withheldAnswers : `${t.insufficient}: ${t.insufficientAnswers}`;
}

function QuestionCells({ result, lang }: { result: QuestionResult; lang: Lang }): JSX.Element {
  return (
    <>
      {result.distribution.map((n) => <td class="text-end" safe>{num(n, lang)}</td>)}
      <td class="text-end fw-semibold" safe>{num(result.average, lang)}</td>
    </>
  );
}

/** The column headers of QuestionCells: one per rating, then the average. */
function QuestionHeaders({ t }: { t: ReportText }): JSX.Element {
  return (
    <>
      {[1, 2, 3, 4, 5].map((n) => <th scope="col" class="text-end" safe>{format(t.rating, { n })}</th>)}
      <th scope="col" class="text-end" safe>{t.average}</th>
    </>
  );
}

function SatisfactionTable({ g, t, lang }: { g: SatisfactionGroup; t: ReportText; lang: Lang }): JSX.Element {
  if (!g.shown || !g.questions) return <p class="text-muted" safe>{notShownText(g, t)}</p>;
  const questions = g.questions;
  return (
    <div class="table-responsive">
      <table class="table table-sm">
        <caption class="visually-hidden" safe>{`${t.satisfaction}: ${g.officeName ?? t.total}`}</caption>
        <thead>
          <tr>
            <th scope="col" safe>{t.question}</th>
            <QuestionHeaders t={t} />
          </tr>
        </thead>
        <tbody>
          {QUESTIONS.map((q) => (
            <tr>
              <th scope="row" class="fw-normal" safe>{t[`question_${q}`]}</th>
              <QuestionCells result={questions[q]} lang={lang} />
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The office's procedures, one row group each (its four questions), or one row saying why it is not shown. */
function ProcedureSatisfactionTable({ office, t, lang }: { office: OfficeSatisfaction; t: ReportText; lang: Lang }): JSX.Element {
  return (
    <div class="table-responsive">
      <table class="table table-sm">
        <caption class="visually-hidden" safe>{`${t.byProcedure}: ${office.officeName ?? ''}`}</caption>
        <thead>
          <tr>
            <th scope="col" safe>{t.procedure}</th>
            <th scope="col" class="text-end" safe>{t.answers}</th>
            <th scope="col" safe>{t.question}</th>
            <QuestionHeaders t={t} />
          </tr>
        </thead>
        {office.procedures.map((p) => {
          const label = `${p.procedureCode} - ${p.procedureName}`;
          const questions = p.questions;
          if (!p.shown || !questions) {
            return (
              <tbody>
                <tr>
                  <th scope="row" class="fw-normal" safe>{label}</th>
                  <td class="text-end" safe>{answersText(p, t, lang)}</td>
                  <td colspan="7" class="text-muted" safe>{notShownText(p, t)}</td>
                </tr>
              </tbody>
            );
          }
          return (
            <tbody>
              {QUESTIONS.map((q, i) => (
                <tr>
                  {i === 0 ? (
                    <>
                      <th scope="rowgroup" rowspan={String(QUESTIONS.length)} class="fw-normal" safe>{label}</th>
                      <td rowspan={String(QUESTIONS.length)} class="text-end" safe>{answersText(p, t, lang)}</td>
                    </>
                  ) : ''}
                  <th scope="row" class="fw-normal" safe>{t[`question_${q}`]}</th>
                  <QuestionCells result={questions[q]} lang={lang} />
                </tr>
              ))}
            </tbody>
          );
        })}
      </table>
    </div>
  );
}

function OfficeSatisfactionSection({ office, t, lang }: { office: OfficeSatisfaction; t: ReportText; lang: Lang }): JSX.Element {
  return (
    <section class="mb-5">
      <h2 class="h4" safe>{`${office.officeCode} - ${office.officeName}`}</h2>
      <p safe>{`${t.answers}: ${answersText(office, t, lang)}`}</p>
      <SatisfactionTable g={office} t={t} lang={lang} />
      {office.shown && office.procedures.length ? (
        <>
          <h3 class="h6" safe>{t.byProcedure}</h3>
          <ProcedureSatisfactionTable office={office} t={t} lang={lang} />
        </>
      ) : ''}
      {publishable(office.answers) ? (
        <>
          <h3 class="h6" safe>{t.comments}</h3>
          {office.comments.length ? <ul>{office.comments.map((c) => <li safe>{c}</li>)}</ul> : <p safe>{t.noComments}</p>}
        </>
      ) : ''}
    </section>
  );
}

/** One page of the cases behind a figure of the report. */
export function DrilldownPage({ ctx, t, filter, metric, offset, list }: {
  ctx: PageContext; t: ReportText; filter: ReportFilter; metric: string; offset: number; list: Drilldown;
}): JSX.Element {
    const lang = ctx.lang;
    const title = `${t.drilldown}: ${metricLabel(t, metric)}`;
    const scopeText = [filter.officeCode, filter.procedureCode].filter(Boolean).join(' / ');
    return (
      <Page ctx={ctx} section="reports" title={title}>
        <p class="no-print"><a href={link('/uffici/report', { ...filter })} safe>{t.backToReport}</a></p>
        <h1 class="h2" safe>{title}</h1>
        <p safe>{`${t.period}: ${formatDate(filter.from, lang)} - ${formatDate(filter.to, lang)}${scopeText ? ` · ${scopeText}` : ''}`}</p>
        {list.total === 0 ? <p safe>{t.noCases}</p> : (
          <>
            <p safe>{format(t.shownOf, { first: offset + 1, last: offset + list.cases.length, total: list.total })}</p>
            <div class="table-responsive">
              <table class="table table-sm table-hover">
                <caption class="visually-hidden" safe>{title}</caption>
                <thead>
                  <tr>
                    <th scope="col" safe>{t.caseCode}</th>
                    <th scope="col" safe>{t.procedure}</th>
                    <th scope="col" safe>{t.term}</th>
                    <th scope="col" safe>{t.state}</th>
                    <th scope="col" safe>{t.receivedOn}</th>
                    <th scope="col" safe>{t.deadline}</th>
                    <th scope="col" safe>{t.closedOn}</th>
                    <th scope="col" class="text-end" safe>{t.grossDays}</th>
                    <th scope="col" class="text-end" safe>{t.suspendedDays}</th>
                    <th scope="col" class="text-end" safe>{t.netDays}</th>
                    <th scope="col" class="text-end" safe>{t.daysLate}</th>
                  </tr>
                </thead>
                <tbody>
                  {list.cases.map((c) => (
                    <tr>
                      <th scope="row" class="fw-normal"><a href={`/uffici/pratiche/${encodeURIComponent(c.code)}`} safe>{c.code}</a></th>
                      <td safe>{`${c.procedureCode} - ${c.procedureName}`}</td>
                      <td safe>{c.termText}</td>
                      <td safe>{STATE_LABELS[c.state]}</td>
                      <td safe>{formatDate(c.receivedOn, lang)}</td>
                      <td safe>{formatDate(c.deadline, lang)}</td>
                      <td safe>{formatDate(c.closedOn, lang)}</td>
                      <td class="text-end" safe>{num(c.grossDays, lang)}</td>
                      <td class="text-end" safe>{num(c.suspendedDays, lang)}</td>
                      <td class="text-end" safe>{num(c.netDays, lang)}</td>
                      <td class="text-end" safe>{num(c.daysLate, lang)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <nav aria-label={t.shownOf.replace(/\{.*$/, '').trim() || t.cases} class="no-print">
              <ul class="pagination">
                {offset > 0 ? <li class="page-item"><a class="page-link" href={link('/uffici/report/pratiche', filter, { dato: metric, da: Math.max(0, offset - DRILLDOWN_PAGE) })} safe>{t.previous}</a></li> : ''}
                {offset + DRILLDOWN_PAGE < list.total ? <li class="page-item"><a class="page-link" href={link('/uffici/report/pratiche', filter, { dato: metric, da: offset + DRILLDOWN_PAGE })} safe>{t.next}</a></li> : ''}
              </ul>
            </nav>
          </>
        )}
      </Page>
    );
}

/** The questionnaire's results per office and procedure, for the months chosen. */
export function SatisfactionPage({ ctx, t, report, fromMonth, toMonth }: {
  ctx: PageContext; t: ReportText; report: SatisfactionReport; fromMonth: string; toMonth: string;
}): JSX.Element {
  return (
    <Page ctx={ctx} section="reports" title={t.satisfaction}>
      <p class="no-print"><a href="/uffici/report" safe>{t.backToReport}</a></p>
      <h1 safe>{t.satisfaction}</h1>
      <p safe>{t.satisfactionIntro}</p>
      <form method="get" action="/uffici/report/soddisfazione" class="row g-3 align-items-end mb-4 no-print">
        <div class="col-sm-4 col-lg-2">
          <label class="form-label" for="dal" safe>{t.fromMonth}</label>
          <input class="form-control" type="month" id="dal" name="dal" value={fromMonth} pattern="\d{4}-\d{2}" required />
        </div>
        <div class="col-sm-4 col-lg-2">
          <label class="form-label" for="al" safe>{t.toMonth}</label>
          <input class="form-control" type="month" id="al" name="al" value={toMonth} pattern="\d{4}-\d{2}" required />
        </div>
        <div class="col-sm-4 col-lg-2"><button type="submit" class="btn btn-primary" safe>{t.update}</button></div>
      </form>
      <>{report.offices.map((office) => <OfficeSatisfactionSection office={office} t={t} lang={ctx.lang} />)}</>
      {report.offices.length > 1 ? (
        <section class="mb-5">
          <h2 class="h4" safe>{t.total}</h2>
          <p safe>{`${t.answers}: ${answersText(report.total, t, ctx.lang)}`}</p>
          <SatisfactionTable g={report.total} t={t} lang={ctx.lang} />
        </section>
      ) : ''}
    </Page>
  );
}
