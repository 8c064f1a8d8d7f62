/** The dashboard: the counts that need attention, and the cases behind them. */
import Html from '@kitajs/html';
import type { Dashboard, DashboardCase } from '../../../../application/backoffice/dashboard.ts';
import type { Channel } from '../../../../domain/case/contacts.ts';
import { CHANNEL_LABELS } from '../../../../domain/notification/index.ts';
import { Page } from '../page.tsx';
import type { PageContext } from '../page.tsx';
import { fill } from '../text.ts';
import { date } from './shared.tsx';

function CaseMiniTable({ ctx, rows, caption, sinceColumn }: { ctx: PageContext; rows: DashboardCase[]; caption: string; sinceColumn?: boolean }): JSX.Element {
  if (rows.length === 0) return <p>{Html.escapeHtml(ctx.t.none)}</p>;
  return (
    <div class="table-responsive">
      <table class="table table-sm">
        <caption class="visually-hidden" safe>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{Html.escapeHtml(ctx.t.code)}</th>
            <th scope="col">{Html.escapeHtml(ctx.t.applicant)}</th>
            <th scope="col">{Html.escapeHtml(ctx.t.subject)}</th>
            <th scope="col">{sinceColumn ? ctx.t.since : Html.escapeHtml(ctx.t.deadline)}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr>
              <td><a href={`/uffici/pratiche/${r.code}`} safe>{r.code}</a></td>
              <td safe>{r.applicantName}</td>
              <td safe>{r.subject}</td>
              <td>{Html.escapeHtml(date(sinceColumn ? r.since : r.deadline))}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function dashboardPage(ctx: PageContext, d: Dashboard): JSX.Element {
  const t = ctx.t;
  const tiles: [string, number, string][] = [
    [t.open, d.open, '/uffici/pratiche?state=open'],
    [t.overdue, d.overdue, '/uffici/pratiche?due=overdue&sort=deadline'],
    [t.due7, d.dueWithin7, '/uffici/pratiche?due=7&sort=deadline'],
    [t.suspended, d.suspended, '/uffici/pratiche?state=suspended'],
  ];
  return (
    <Page ctx={ctx} title={t.dashboard} section="dashboard">
      <h1>
        {Html.escapeHtml(t.dashboard)}
        <span class="h5 d-block text-secondary mt-1" safe>{ctx.user?.officeName ?? t.allOffices}</span>
      </h1>
      <ul class="row list-unstyled g-3 mb-4">
        {tiles.map(([label, n, href]) => (
          <li class="col-6 col-lg-3">
            <a class="card card-bg h-100 p-3 text-decoration-none dashboard-tile" href={href}>
              <span class="display-6 fw-bold" safe>{String(n)}</span>
              <span class="d-block" safe>{label}</span>
            </a>
          </li>
        ))}
      </ul>
      <div class="row">
        <section class="col-lg-6 mb-4" aria-labelledby="h-overdue">
          <h2 class="h4" id="h-overdue">{Html.escapeHtml(t.overdue)}</h2>
          <CaseMiniTable ctx={ctx} rows={d.overdueCases} caption={t.overdue} />
        </section>
        <section class="col-lg-6 mb-4" aria-labelledby="h-due">
          <h2 class="h4" id="h-due">{Html.escapeHtml(t.due7)}</h2>
          <CaseMiniTable ctx={ctx} rows={d.dueSoonCases} caption={t.due7} />
        </section>
        <section class="col-lg-6 mb-4" aria-labelledby="h-c7">
          <h2 class="h4" id="h-c7">{Html.escapeHtml(t.c7Over30)}</h2>
          <p class="small">{Html.escapeHtml(t.c7Over30Hint)}</p>
          <CaseMiniTable ctx={ctx} rows={d.c7Over30} caption={t.c7Over30} sinceColumn />
        </section>
        <section class="col-lg-6 mb-4" aria-labelledby="h-substitute">
          <h2 class="h4" id="h-substitute">{Html.escapeHtml(t.substituteRequests)}</h2>
          <p class="small">{Html.escapeHtml(t.substituteRequestsHint)}</p>
          {d.substituteRequests.length === 0 ? <p>{Html.escapeHtml(t.none)}</p> : (
            <ul>
              {d.substituteRequests.map((c) => (
                <li>
                  <a href={`/uffici/pratiche/${c.code}`} safe>{c.code}</a>
                  <span safe>{` — ${c.applicantName}: ${fill(t.substituteRequestLine, { request: date(c.requestedOn), due: c.substituteDeadline ? date(c.substituteDeadline) : '—' })}`}</span>
                </li>
              ))}
            </ul>
          )}
        </section>
        <section class="col-lg-6 mb-4" aria-labelledby="h-failed">
          <h2 class="h4" id="h-failed">{Html.escapeHtml(t.failedMessages)}</h2>
          {d.failedMessages.length === 0 ? <p>{Html.escapeHtml(t.none)}</p> : (
            <ul>
              {d.failedMessages.map((m) => (
                <li>
                  <a href={`/uffici/pratiche/${m.code}#messaggi`} safe>{m.code}</a>
                  <span safe>{` — ${CHANNEL_LABELS[m.channel as Channel]} ${m.recipient}, ${m.statusLabel}${m.error ? `: ${m.error}` : ''}`}</span>
                </li>
              ))}
            </ul>
          )}
        </section>
        <section class="col-lg-6 mb-4" aria-labelledby="h-optout">
          <h2 class="h4" id="h-optout">{Html.escapeHtml(t.optOuts)}</h2>
          {d.optOutsToAcknowledge.length === 0 ? <p>{Html.escapeHtml(t.none)}</p> : (
            <ul>
              {d.optOutsToAcknowledge.map((c) => (
                <li>
                  <a href={`/uffici/pratiche/${c.code}#rinuncia`} safe>{c.code}</a>
                  <span safe>{` — ${c.applicantName}`}</span>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
    </Page>
  );
}
