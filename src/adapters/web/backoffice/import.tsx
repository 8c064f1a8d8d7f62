import Html from '@kitajs/html';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { actorOf } from '../../../application/backoffice/auth.ts';
import { IMPORT_COLUMNS, IMPORT_TEMPLATE, importCases } from '../../../application/backoffice/import.ts';
import type { ImportResult } from '../../../application/backoffice/import.ts';
import { FormAlreadySent, newFormToken } from '../../../application/form-tokens.ts';
import { formatItalianDate } from '../../../domain/deadline/index.ts';
import type { FieldProblem } from '../../../domain/errors.ts';
import { assertAllowed, canImportCases } from '../../../domain/policy.ts';
import type { BackofficeKit } from './kit.ts';
import { CsrfField, ErrorSummary, Field, Page } from './page.tsx';
import { single } from './forms.ts';
import type { MultipartValue } from './forms.ts';
import { fill } from './text.ts';
import type { BackofficeText } from './text.ts';

export async function importRoutes(app: FastifyInstance, kit: BackofficeKit): Promise<void> {
  const { deps } = kit;
  const guard = (request: FastifyRequest) => assertAllowed(canImportCases(request.staff!), 'importare pratiche');

  const importPage = (request: FastifyRequest, reply: FastifyReply, status: number, result?: ImportResult) =>
    kit.render(request, reply, status, (ctx) => (
      <Page ctx={ctx} title={ctx.t.importTitle} section="import">
        <h1>{Html.escapeHtml(ctx.t.importHeading)}</h1>
        <p>
          {Html.escapeHtml(ctx.t.importColumns)}{' '}
          <code>{Html.escapeHtml(IMPORT_COLUMNS.join(';'))}</code>. {Html.escapeHtml(ctx.t.importRules)}
        </p>
        <p><a href="/uffici/importa/modello.csv" download="pratiche-modello.csv">{Html.escapeHtml(ctx.t.downloadTemplate)}</a></p>
        <form method="post" action="/uffici/importa" enctype="multipart/form-data" novalidate>
          <CsrfField ctx={ctx} />
          <input type="hidden" name="formToken" value={newFormToken()} />
          <ErrorSummary errors={importErrors(result, ctx.t)} t={ctx.t} />
          <Field id="file" label={ctx.t.csvFile} type="file" required error={result?.fileErrors.join(' ') || undefined} attributes={{ accept: '.csv,text/csv' }} />
          <div class="d-flex gap-2">
            <button type="submit" class="btn btn-outline-primary" name="mode" value="dry-run">{Html.escapeHtml(ctx.t.dryRun)}</button>
            <button type="submit" class="btn btn-primary" name="mode" value="import">{Html.escapeHtml(ctx.t.importButton)}</button>
          </div>
        </form>
        {result ? <ImportReport result={result} t={ctx.t} /> : ''}
      </Page>
    ));

  app.get('/importa', async (request, reply) => {
    guard(request);
    return importPage(request, reply, 200);
  });

  app.get('/importa/modello.csv', async (request, reply) => {
    guard(request);
    return reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="pratiche-modello.csv"').send(`\uFEFF${IMPORT_TEMPLATE}`);
  });

  app.post('/importa', { preHandler: app.csrfProtection }, async (request, reply) => {
    guard(request);
    const file = single<MultipartValue>(request.body, 'file');
    const csv = typeof file === 'object' ? ('text' in file ? file.text : '') : typeof file === 'string' ? file : '';
    const formToken = single<MultipartValue>(request.body, 'formToken');
    let result: ImportResult;
    try {
      result = await importCases({ db: deps.db, clock: deps.clock, credentialsKeys: deps.credentialsKeys }, actorOf(request.staff!), csv, {
        dryRun: single(request.body, 'mode') !== 'import', formToken: typeof formToken === 'string' ? formToken : undefined,
      });
    } catch (error) {
      if (!(error instanceof FormAlreadySent)) throw error;
      return kit.redirect(reply, '/uffici/importa', { kind: 'info', text: fill(kit.text(request).alreadyImported, { codes: error.result }) });
    }
    const failed = result.fileErrors.length > 0 || result.rows.some((r) => r.errors.length);
    return importPage(request, reply, failed ? 422 : result.imported ? 201 : 200, result);
  });
}

/** What the summary lists: the file's faults on the file field, then each bad row, linked to its line of the report. */
function importErrors(result: ImportResult | undefined, t: BackofficeText): FieldProblem[] {
  if (!result) return [];
  return [
    ...(result.fileErrors.length ? [{ field: 'file', text: result.fileErrors.join(' ') }] : []),
    ...result.rows.filter((r) => r.errors.length).map((r) => ({ field: rowId(r.line), text: `${t.row} ${r.line}: ${r.errors.join(' ')}` })),
  ];
}

const rowId = (line: number) => `riga-${line}`;

function ImportReport({ result, t }: { result: ImportResult; t: BackofficeText }): JSX.Element {
  const bad = result.rows.filter((r) => r.errors.length);
  const rows = result.rows.length;
  const summary = result.fileErrors.length
    ? t.importFileRejected
    : bad.length
      ? fill(t.importRowErrors, { bad: bad.length, rows })
      : result.imported
        ? fill(t.importDone, { rows })
        : fill(t.importDryRunOk, { rows });
  return (
    <section class="mt-4" aria-labelledby="h-report">
      <h2 class="h4" id="h-report">{Html.escapeHtml(t.importResult)}</h2>
      <div class={`alert ${result.fileErrors.length || bad.length ? 'alert-danger' : 'alert-success'}`} role="status">
        <p class="mb-0" safe>{summary}</p>
      </div>
      {result.rows.length ? (
        <div class="table-responsive">
          <table class="table table-sm">
            <caption class="visually-hidden">{Html.escapeHtml(t.fileRows)}</caption>
            <thead>
              <tr>
                <th scope="col">{Html.escapeHtml(t.row)}</th>
                <th scope="col">{Html.escapeHtml(t.applicant)}</th>
                <th scope="col">{Html.escapeHtml(t.procedure)}</th>
                <th scope="col">{Html.escapeHtml(t.deadline)}</th>
                <th scope="col">{Html.escapeHtml(t.importResult)}</th>
              </tr>
            </thead>
            <tbody>
              {result.rows.map((r) => (
                <tr>
                  <th scope="row" id={rowId(r.line)} safe>{String(r.line)}</th>
                  <td safe>{r.values.richiedente ?? ''}</td>
                  <td safe>{r.values.procedimento ?? ''}</td>
                  <td>{Html.escapeHtml(r.deadline ? formatItalianDate(r.deadline) : '—')}</td>
                  <td>
                    {r.errors.length ? <ul class="mb-0 text-danger-emphasis">{r.errors.map((e) => <li safe>{e}</li>)}</ul> : r.code
                      ? <span safe>{fill(t.importedCredentials, { code: r.code, password: r.password ?? '' })}</span>
                      : <span>{Html.escapeHtml(t.rowOk)}</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : ''}
    </section>
  );
}
