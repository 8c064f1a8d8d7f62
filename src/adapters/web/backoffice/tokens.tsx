import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { actorOf } from '../../../application/backoffice/auth.ts';
import { italianDayAndTime } from '../../../application/clock.ts';
import { createApiToken, listApiTokens, revokeApiToken } from '../../../application/tokens.ts';
import { listOffices } from '../../../application/catalogue.ts';
import { assertAllowed, canManageAdministration } from '../../../domain/policy.ts';
import type { Lang } from '../ui/i18n.ts';
import type { BackofficeKit } from './kit.ts';
import { CsrfField, ErrorSummary, Field, Page, Select, attributeText, errorFor } from './page.tsx';
import { fill } from './text.ts';
import { Text, formErrors, inFormOrder, readForm } from './forms.ts';
import { DomainError } from '../../../domain/errors.ts';

export const TOKENS_PATH = '/uffici/amministrazione/chiavi-api';

const TokenForm = Type.Object({ name: Text, office: Text });

const LABELS: Record<Lang, Record<string, string>> = {
  it: {
    title: 'Chiavi API', intro: 'Le chiavi con cui i sistemi collegati (protocollo, gestione documentale) usano l\'API. Una chiave revocata smette subito di funzionare.',
    name: 'Nome', office: 'Ufficio', created: 'Creata', lastUsed: 'Ultimo uso', revoked: 'Revocata', all: 'tutti gli uffici', never: 'mai', no: 'no',
    revoke: 'Revoca', revokeNamed: 'Revoca la chiave {name}', revokedDone: 'Chiave "{name}" revocata: non apre più l\'API.', alreadyRevoked: 'La chiave "{name}" era già revocata.',
    create: 'Nuova chiave', createButton: 'Crea la chiave', nameHint: 'Il sistema che la userà, es. protocollo-informatico', officeHint: 'Vuoto: tutti gli uffici',
    createdOnce: 'Chiave "{name}" creata. Copiarla ora e consegnarla al sistema che la userà: non sarà più mostrata.', none: 'Nessuna chiave.',
  },
  en: {
    title: 'API keys', intro: 'The keys connected systems (records management, document management) use the API with. A revoked key stops working at once.',
    name: 'Name', office: 'Office', created: 'Created', lastUsed: 'Last used', revoked: 'Revoked', all: 'every office', never: 'never', no: 'no',
    revoke: 'Revoke', revokeNamed: 'Revoke the key {name}', revokedDone: 'Key "{name}" revoked: it no longer opens the API.', alreadyRevoked: 'The key "{name}" was revoked already.',
    create: 'New key', createButton: 'Create the key', nameHint: 'The system that will use it, e.g. records-system', officeHint: 'Empty: every office',
    createdOnce: 'Key "{name}" created. Copy it now and hand it to the system that will use it: it will not be shown again.', none: 'No keys.',
  },
};

/** The administrators' page of API tokens: list, revoke (CSRF, audited), and create with the token shown once. */
export async function tokenRoutes(app: FastifyInstance, kit: BackofficeKit): Promise<void> {
  const { db } = kit.deps;
  const guard = (request: FastifyRequest) => assertAllowed(canManageAdministration(request.staff!), 'gestire le chiavi API');
  const local = TOKENS_PATH.slice('/uffici'.length);

  const tokensPage = async (request: FastifyRequest, reply: FastifyReply, status: number, extra: { created?: { name: string; token: string }; errors?: { field?: string; text: string }[]; name?: string; office?: string } = {}) => {
    const [tokens, offices] = await Promise.all([listApiTokens(db), listOffices(db, null)]);
    return kit.render(request, reply, status, (ctx) => {
      const l = LABELS[ctx.lang];
      const when = (date: Date | null, empty: string) => (date ? italianDayAndTime(date) : empty);
      return (
        <Page ctx={ctx} title={l.title!} section="administration">
          <h1 safe>{l.title}</h1>
          <p safe>{l.intro}</p>
          {extra.created ? (
            <div class="alert alert-success" role="status">
              <p safe>{fill(l.createdOnce!, { name: extra.created.name })}</p>
              <p class="font-monospace mb-0" safe>{extra.created.token}</p>
            </div>
          ) : ''}
          {tokens.length === 0 ? <p safe>{l.none}</p> : (
            <div class="table-responsive">
              <table class="table table-sm">
                <caption class="visually-hidden" safe>{l.title}</caption>
                <thead><tr>{[l.name, l.office, l.created, l.lastUsed, l.revoked, ''].map((h) => <th scope="col" safe>{h}</th>)}</tr></thead>
                <tbody>
                  {tokens.map((tk) => (
                    <tr>
                      <th scope="row" safe>{tk.name}</th>
                      <td safe>{tk.officeCode ?? l.all}</td>
                      <td safe>{when(tk.createdAt, '—')}</td>
                      <td safe>{when(tk.lastUsedAt, l.never!)}</td>
                      <td safe>{when(tk.revokedAt, l.no!)}</td>
                      <td>
                        {tk.revokedAt ? '' : (
                          <form method="post" action={`${TOKENS_PATH}/${tk.id}/revoca`} class="m-0">
                            <CsrfField ctx={ctx} />
                            <button type="submit" class="btn btn-xs btn-outline-danger" aria-label={attributeText(fill(l.revokeNamed!, { name: tk.name }))} safe>{l.revoke}</button>
                          </form>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <h2 class="h4 mt-4" safe>{l.create}</h2>
          <ErrorSummary errors={inFormOrder(extra.errors ?? [], ['name', 'office'])} t={ctx.t} />
          <form method="post" action={TOKENS_PATH} novalidate>
            <CsrfField ctx={ctx} />
            <Field id="name" label={l.name!} value={extra.name ?? ''} required maxlength={80} hint={l.nameHint} error={errorFor(extra.errors ?? [], 'name')} />
            <Select id="office" label={l.office!} value={extra.office ?? ''} hint={l.officeHint} error={errorFor(extra.errors ?? [], 'office')} options={[{ value: '', label: '—' }, ...offices.map((o) => ({ value: o.code, label: `${o.code} — ${o.name}` }))]} />
            <button type="submit" class="btn btn-primary" safe>{l.createButton}</button>
          </form>
        </Page>
      );
    });
  };

  app.get(local, async (request, reply) => {
    guard(request);
    return tokensPage(request, reply, 200);
  });

  app.post(local, { preHandler: app.csrfProtection }, async (request, reply) => {
    guard(request);
    const { name, office } = readForm(TokenForm, request.body);
    try {
      const created = await createApiToken(db, actorOf(request.staff!), name, office || undefined);
      // shown in this answer only: never in a redirect's cookie or a log
      return tokensPage(request, reply, 201, { created: { name: created.name, token: created.token } });
    } catch (error) {
      // an unknown office too is the form's mistake here
      if (!(error instanceof DomainError)) throw error;
      return tokensPage(request, reply, 422, { name, office, errors: formErrors(error) });
    }
  });

  app.post<{ Params: { id: string } }>(`${local}/:id/revoca`, { preHandler: app.csrfProtection }, async (request, reply) => {
    guard(request);
    const revoked = await revokeApiToken(db, actorOf(request.staff!), request.params.id, kit.deps.clock.now());
    const l = LABELS[request.lang];
    return kit.redirect(reply, TOKENS_PATH, { kind: revoked.alreadyRevoked ? 'info' : 'success', text: fill(revoked.alreadyRevoked ? l.alreadyRevoked! : l.revokedDone!, { name: revoked.name }) });
  });
}
