import Html from '@kitajs/html';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { actorOf } from '../../../application/backoffice/auth.ts';
import { IMPORT_COLUMNS, IMPORT_TEMPLATE, importCases } from '../../../application/backoffice/import.ts';
import type { ImportResult } from '../../../application/backoffice/import.ts';
import { formatItalianDate } from '../../../domain/deadline/index.ts';
import { assertAllowed, canImportCases } from '../../../domain/policy.ts';
import type { BackofficeKit } from './plugin.tsx';
import { CsrfField, Page } from './page.tsx';
import type { UploadedFile } from './forms.ts';

export async function importRoutes(app: FastifyInstance, kit: BackofficeKit): Promise<void> {
  const { deps } = kit;
  const guard = (request: FastifyRequest) => assertAllowed(canImportCases(request.staff!), 'importare pratiche');

  const importPage = (request: FastifyRequest, reply: FastifyReply, status: number, result?: ImportResult) =>
    kit.render(request, reply, status, (ctx) => (
      <Page ctx={ctx} title="Importa pratiche" section="import">
        <h1>Importa pratiche da un file CSV</h1>
        <p>
          Una riga per pratica, separatore punto e virgola (come salva Excel) o virgola, codifica UTF-8. Colonne:{' '}
          <code>{Html.escapeHtml(IMPORT_COLUMNS.join(';'))}</code>. Date GG/MM/AAAA; canali «sms», «email» o entrambi. La prova controlla ogni riga senza
          scrivere nulla; l'importazione avviene solo se nessuna riga ha errori, tutta insieme.
        </p>
        <p><a href="/uffici/importa/modello.csv" download="pratiche-modello.csv">Scarica il modello CSV</a></p>
        <form method="post" action="/uffici/importa" enctype="multipart/form-data">
          <CsrfField ctx={ctx} />
          <div class="mb-3">
            <label class="form-label" for="file">File CSV</label>
            <input class="form-control" type="file" id="file" name="file" accept=".csv,text/csv" required />
          </div>
          <div class="d-flex gap-2">
            <button type="submit" class="btn btn-outline-primary" name="mode" value="dry-run">Prova (nessuna scrittura)</button>
            <button type="submit" class="btn btn-primary" name="mode" value="import">Importa</button>
          </div>
        </form>
        {result ? <ImportReport result={result} /> : ''}
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
    const body = (request.body ?? {}) as Record<string, string | UploadedFile>;
    const file = body.file;
    const csv = typeof file === 'object' ? file.text : typeof file === 'string' ? file : '';
    const result = await importCases({ db: deps.db, clock: deps.clock }, actorOf(request.staff!), csv, { dryRun: body.mode !== 'import' });
    const failed = result.fileErrors.length > 0 || result.rows.some((r) => r.errors.length);
    return importPage(request, reply, failed ? 422 : result.imported ? 201 : 200, result);
  });
}

function ImportReport({ result }: { result: ImportResult }): JSX.Element {
  const bad = result.rows.filter((r) => r.errors.length);
  const summary = result.fileErrors.length
    ? 'Il file non può essere importato.'
    : bad.length
      ? `${bad.length} righe su ${result.rows.length} hanno errori: nessuna pratica è stata importata.`
      : result.imported
        ? `${result.rows.length} pratiche importate.`
        : `Prova riuscita: ${result.rows.length} pratiche pronte per l'importazione. Nulla è stato scritto.`;
  return (
    <section class="mt-4" aria-labelledby="h-report">
      <h2 class="h4" id="h-report">Esito</h2>
      <div class={`alert ${result.fileErrors.length || bad.length ? 'alert-danger' : 'alert-success'}`} role="alert">
        <p class="mb-0" safe>{summary}</p>
        {result.fileErrors.map((e) => <p class="mb-0" safe>{e}</p>)}
      </div>
      {result.rows.length ? (
        <div class="table-responsive">
          <table class="table table-sm">
            <caption class="visually-hidden">Righe del file</caption>
            <thead>
              <tr><th scope="col">Riga</th><th scope="col">Richiedente</th><th scope="col">Procedimento</th><th scope="col">Scadenza</th><th scope="col">Esito</th></tr>
            </thead>
            <tbody>
              {result.rows.map((r) => (
                <tr>
                  <th scope="row" safe>{String(r.line)}</th>
                  <td safe>{r.values.richiedente ?? ''}</td>
                  <td safe>{r.values.procedimento ?? ''}</td>
                  <td>{Html.escapeHtml(r.deadline ? formatItalianDate(r.deadline) : '—')}</td>
                  <td>
                    {r.errors.length ? <ul class="mb-0 text-danger-emphasis">{r.errors.map((e) => <li safe>{e}</li>)}</ul> : r.code
                      ? <span safe>{`${r.code} — password ${r.password ?? ''} (mostrata una sola volta)`}</span>
                      : <span>corretta</span>}
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
