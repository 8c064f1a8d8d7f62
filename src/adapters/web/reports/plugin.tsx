/**
 * Back-office report pages under /uffici/report: the times report with drill-down, charts and exports, and the
 * satisfaction results. Signed-in staff only, through the back office's own session (its cookie and
 * userOfSession) and page frame; administrators see every office, everyone else their own (policy.scopeOf).
 */
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { StaffUser } from '../../../application/backoffice/auth.ts';
import { drilldown, isMetric } from '../../../application/reports/drilldown.ts';
import { satisfactionReport } from '../../../application/reports/satisfaction.ts';
import { timesReport } from '../../../application/reports/times.ts';
import { reportChoices } from '../../../application/reports/choices.ts';
import { DomainError } from '../../../domain/errors.ts';
import { scopeOf } from '../../../domain/policy.ts';
import { OFFICE_CSV, formatCsv } from '../../../domain/reports/csv.ts';
import type { AppDeps } from '../deps.ts';
import { single } from '../backoffice/forms.ts';
import { requireStaff, staffSession } from '../plugins/staff-session.ts';
import { Page, pageContext, sendPage } from '../backoffice/page.tsx';
import type { PageContext } from '../backoffice/page.tsx';
import { errorHandler, formDetail } from '../errors.ts';
import { reportText } from './text.ts';
import type { ReportText } from './text.ts';
import { filterOf, monthParam, offsetParam } from './params.ts';
import { DrilldownPage, ReportPage, SatisfactionPage, exportRows } from './views.tsx';

export function reportRoutes(deps: AppDeps): FastifyPluginAsync {
  return async (app: FastifyInstance) => {
    await app.register(staffSession, { deps });
    app.addHook('onRequest', requireStaff());

    const render = async (request: FastifyRequest, reply: FastifyReply, status: number, page: (ctx: PageContext, t: ReportText) => JSX.Element) => {
      const ctx = await pageContext(deps.frame, request, reply, deps.production, deps.clock.today());
      return sendPage(reply, status, page(ctx, reportText(request.lang)));
    };

    app.setErrorHandler(errorHandler((request, reply, p, error) =>
      render(request, reply, p.status, (ctx, t) => (
        <Page ctx={ctx} section="reports" title={p.title}>
          <h1 safe>{p.title}</h1>
          <p safe>{formDetail(p, error)}</p>
          <p><a href="/uffici/report" safe>{t.backToReport}</a></p>
        </Page>
      ))));

    const options = (user: StaffUser) => reportChoices(deps.db, scopeOf(user));

    app.get('/', async (request, reply) => {
      const user = request.staff!;
      const filter = filterOf(request.query, user, deps.clock.today());
      const [report, [offices, procedures]] = await Promise.all([timesReport(deps, filter), options(user)]);
      return render(request, reply, 200, (ctx, t) => <ReportPage ctx={ctx} t={t} report={report} filter={filter} offices={offices} procedures={procedures} />);
    });

    app.get('/export.json', async (request, reply) => {
      const filter = filterOf(request.query, request.staff!, deps.clock.today());
      const report = await timesReport(deps, filter);
      return reply
        .header('content-disposition', `attachment; filename="tempi-procedimentali-${filter.from}-${filter.to}.json"`)
        .header('cache-control', 'no-store')
        .type('application/json; charset=utf-8')
        .send(JSON.stringify(report, null, 2));
    });

    app.get('/export.csv', async (request, reply) => {
      const filter = filterOf(request.query, request.staff!, deps.clock.today());
      const report = await timesReport(deps, filter);
      const { header, rows } = exportRows(report, filter, reportText(request.lang));
      return reply
        .header('content-disposition', `attachment; filename="tempi-procedimentali-${filter.from}-${filter.to}.csv"`)
        .header('cache-control', 'no-store')
        .type('text/csv; charset=utf-8')
        .send(formatCsv(header, rows, OFFICE_CSV));
    });

    app.get('/pratiche', async (request, reply) => {
      const filter = filterOf(request.query, request.staff!, deps.clock.today());
      const metric = single(request.query, 'dato') ?? '';
      if (!isMetric(metric)) throw new DomainError('invalid-input', `Dato non valido: "${metric}".`, { field: 'dato' });
      const offset = offsetParam(request.query);
      const list = await drilldown(deps, filter, metric, offset);
      return render(request, reply, 200, (ctx, t) => <DrilldownPage ctx={ctx} t={t} filter={filter} metric={metric} offset={offset} list={list} />);
    });

    app.get('/soddisfazione', async (request, reply) => {
      const today = deps.clock.today();
      const fromMonth = monthParam(single(request.query, 'dal'), `${today.slice(0, 4)}-01`, 'dal');
      const toMonth = monthParam(single(request.query, 'al'), today.slice(0, 7), 'al');
      const report = await satisfactionReport(deps.db, { fromMonth, toMonth, scopeOfficeId: scopeOf(request.staff!) });
      return render(request, reply, 200, (ctx, t) => <SatisfactionPage ctx={ctx} t={t} report={report} fromMonth={fromMonth} toMonth={toMonth} />);
    });
  };
}
