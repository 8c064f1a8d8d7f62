/** The case list: the filters form, one page of cases, the links to the next page. */
import Html from '@kitajs/html';
import type { CaseSearch, CasePage } from '../../../../application/backoffice/case-search.ts';
import { CASE_STATES, STATE_LABELS } from '../../../../domain/case/states.ts';
import { Field, Page, Select, attributeText } from '../page.tsx';
import type { PageContext } from '../page.tsx';
import { fill } from '../text.ts';
import { DueText, StateBadge } from './shared.tsx';

export interface CaseListModel {
  search: CaseSearch;
  /** the state and due filters as sent, shown again in their selects */
  stateText: string;
  dueText: string;
  page: CasePage;
  procedures: readonly { code: string; name: string }[];
  /** every office, for an administrator; none for staff of one office (no office filter then) */
  offices: readonly { code: string; name: string }[];
  scoped: boolean;
  /** the filters of this page, for the link back to its first page */
  params: URLSearchParams;
  nextHref: string | undefined;
}

export function caseListPage(ctx: PageContext, model: CaseListModel): JSX.Element {
  const { search, stateText, dueText, page, procedures, offices, params, nextHref } = model;
  const t = ctx.t;
  return (
    <Page ctx={ctx} title={t.cases} section="cases">
      <h1>{Html.escapeHtml(t.cases)}</h1>
      <form method="get" action="/uffici/pratiche" class="mb-4" role="search" aria-label={t.filters}>
        <div class="row">
          <div class="col-lg-4">
            <Field id="q" label={t.search} value={search.q} hint={t.searchHint} maxlength={200} />
          </div>
          <div class="col-sm-6 col-lg-2">
            <Select id="state" label={t.state} value={stateText} options={[
              { value: '', label: t.anyState }, { value: 'open', label: t.openStates },
              ...CASE_STATES.map((s) => ({ value: s, label: STATE_LABELS[s] })),
            ]} />
          </div>
          <div class="col-sm-6 col-lg-3">
            <Select id="procedure" label={t.procedure} value={search.procedureCode} options={[
              { value: '', label: t.any }, ...procedures.map((p) => ({ value: p.code, label: `${p.code} — ${p.name}` })),
            ]} />
          </div>
          <div class="col-sm-6 col-lg-3">
            <Select id="due" label={t.due} value={dueText} options={[
              { value: '', label: t.any }, { value: 'overdue', label: t.dueOverdue },
              ...['7', '15', '30'].map((n) => ({ value: n, label: fill(t.dueWithin, { n }) })),
            ]} />
          </div>
          {model.scoped ? '' : (
            <div class="col-sm-6 col-lg-3">
              <Select id="office" label={t.office} value={search.officeCode} options={[
                { value: '', label: t.allOffices }, ...offices.map((o) => ({ value: o.code, label: `${o.code} — ${o.name}` })),
              ]} />
            </div>
          )}
          <div class="col-sm-6 col-lg-3">
            <Select id="sort" label={t.sort} value={search.sort} options={[{ value: 'recent', label: t.sortRecent }, { value: 'deadline', label: t.sortDeadline }]} />
          </div>
        </div>
        <div class="d-flex gap-2">
          <button type="submit" class="btn btn-primary">{Html.escapeHtml(t.apply)}</button>
          <a class="btn btn-outline-primary" href="/uffici/pratiche">{Html.escapeHtml(t.reset)}</a>
        </div>
      </form>
      <h2 class="h4">{Html.escapeHtml(t.casesFound)}</h2>
      {page.items.length === 0 ? <p>{Html.escapeHtml(t.noCases)}</p> : (
        <div class="table-responsive">
          <table class="table table-striped align-middle">
            <caption class="visually-hidden">{Html.escapeHtml(t.casesFound)}</caption>
            <thead>
              <tr>
                <th scope="col">{Html.escapeHtml(t.code)}</th>
                <th scope="col">{Html.escapeHtml(t.applicant)}</th>
                <th scope="col">{Html.escapeHtml(t.subject)}</th>
                <th scope="col">{Html.escapeHtml(t.procedure)}</th>
                <th scope="col">{Html.escapeHtml(t.state)}</th>
                <th scope="col">{Html.escapeHtml(t.deadline)}</th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((c) => (
                <tr>
                  <th scope="row"><a href={`/uffici/pratiche/${c.code}`} safe>{c.code}</a></th>
                  <td safe>{c.applicantName}</td>
                  <td>
                    <span safe>{c.subject}</span>
                    {c.protocolNumber ? <span class="d-block small" safe>{`Prot. ${c.protocolNumber}`}</span> : ''}
                  </td>
                  <td><abbr title={attributeText(c.procedureName)} safe>{c.procedureCode}</abbr></td>
                  <td><StateBadge state={c.state} /></td>
                  <td><DueText ctx={ctx} deadline={c.deadline} days={c.daysRemaining} /></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <nav aria-label="Paginazione" class="d-flex gap-3">
        {search.cursor ? <a href={`/uffici/pratiche?${params.toString()}`}>{Html.escapeHtml(t.first)}</a> : ''}
        {nextHref ? <a href={nextHref} rel="next">{Html.escapeHtml(t.next)}</a> : ''}
      </nav>
    </Page>
  );
}
