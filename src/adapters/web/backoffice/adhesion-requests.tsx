import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { actorOf } from '../../../application/backoffice/auth.ts';
import { addRequestContactsToCase, dismissRequest, listPendingRequests, pendingRequest } from '../../../application/adhesion-requests.ts';
import type { PendingRequest } from '../../../application/adhesion-requests.ts';
import { DISMISS_REASON_LIMIT } from '../../../domain/adhesion-request.ts';
import { formatItalianDate } from '../../../domain/deadline/index.ts';
import type { FieldProblem } from '../../../domain/errors.ts';
import { CHANNEL_LABELS } from '../../../domain/notification/index.ts';
import { scopeOf } from '../../../domain/policy.ts';
import type { BackofficeKit } from './kit.ts';
import { Text, formErrors, isFormError, readForm } from './forms.ts';
import { CsrfField, ErrorSummary, Page, TextArea, errorFor } from './page.tsx';
import type { PageContext } from './page.tsx';
import { fill } from './text.ts';

export const REQUESTS_PATH = '/uffici/richieste-adesione';

/** The enrolment page's link from a request: the request's id. */
const FromRequestQuery = Type.Object({ richiesta: Text });
const DismissForm = Type.Object({ reason: Text });

const dateTime = (d: Date): string => d.toLocaleString('it-IT', { timeZone: 'Europe/Rome', dateStyle: 'short', timeStyle: 'short' });

/** What the enrolment form takes from a request: the officer completes the subject and the day received. */
export function enrolmentValuesOf(r: PendingRequest) {
  return {
    procedureCode: r.procedureCode, applicantName: r.applicantName, protocolNumber: r.protocolNumber, receivedOn: r.protocolDate,
    mobile: r.mobile ?? '', email: r.email ?? '', channels: r.channels, applicantFiscalCode: r.fiscalCode ?? '',
    // the citizen read the notice and consented when sending the request
    privacy: 'yes', adhesionRequest: r.id,
  };
}

/** The request the enrolment form comes from, loaded in the officer's office, or undefined without one. */
export async function requestForEnrolment(kit: BackofficeKit, request: FastifyRequest): Promise<PendingRequest | undefined> {
  const id = readForm(FromRequestQuery, request.query).richiesta;
  return id ? pendingRequest(kit.deps.db, scopeOf(request.staff!), id) : undefined;
}

export function RequestNote({ ctx, from }: { ctx: PageContext; from: { name: string; protocol: string } }): JSX.Element {
  return <p class="callout note" safe>{fill(ctx.t.adhesionRequestFrom, from)}</p>;
}

function RequestItem({ ctx, r, errors }: { ctx: PageContext; r: PendingRequest; errors: readonly FieldProblem[] }): JSX.Element {
  const t = ctx.t;
  const reasonId = `reason-${r.id}`;
  return (
    <li class="card mb-3" id={`richiesta-${r.id}`}>
      <div class="card-body">
        <h2 class="h5" safe>{r.applicantName}</h2>
        <dl class="row mb-2">
          <dt class="col-sm-3" safe>{t.procedure}</dt><dd class="col-sm-9" safe>{`${r.procedureCode} — ${r.procedureName} (${r.officeName})`}</dd>
          <dt class="col-sm-3" safe>{t.adhesionRequestProtocol}</dt><dd class="col-sm-9" safe>{`${r.protocolNumber} — ${formatItalianDate(r.protocolDate)}`}</dd>
          <dt class="col-sm-3" safe>{t.contacts}</dt><dd class="col-sm-9" safe>{[r.mobile, r.email, r.fiscalCode].filter(Boolean).join(' · ') || '—'}</dd>
          <dt class="col-sm-3" safe>{t.channels}</dt><dd class="col-sm-9" safe>{r.channels.map((c) => CHANNEL_LABELS[c]).join(', ')}</dd>
          <dt class="col-sm-3" safe>{t.adhesionRequestReceived}</dt><dd class="col-sm-9" safe>{dateTime(r.createdAt)}</dd>
        </dl>
        {r.matchingCaseCode ? (
          <div class="alert alert-warning">
            <p safe>{fill(t.adhesionRequestMatch, { code: r.matchingCaseCode })}</p>
            <div class="d-flex gap-2 flex-wrap">
              <form method="post" action={`${REQUESTS_PATH}/${r.id}/collega`} class="m-0">
                <CsrfField ctx={ctx} />
                <button type="submit" class="btn btn-primary btn-sm" safe>{fill(t.adhesionRequestAddContacts, { code: r.matchingCaseCode })}</button>
              </form>
              <a class="btn btn-outline-primary btn-sm" href={`/uffici/pratiche/${r.matchingCaseCode}`} safe>{fill(t.adhesionRequestOpenCase, { code: r.matchingCaseCode })}</a>
            </div>
          </div>
        ) : (
          <p class="d-flex gap-3 align-items-center flex-wrap">
            <span safe>{t.adhesionRequestNoMatch}</span>
            <a class="btn btn-primary btn-sm" href={`/uffici/pratiche/nuova?richiesta=${r.id}`} safe>{t.adhesionRequestEnrol}</a>
          </p>
        )}
        <form method="post" action={`${REQUESTS_PATH}/${r.id}/scarta`} novalidate>
          <CsrfField ctx={ctx} />
          <TextArea id={reasonId} name="reason" label={t.adhesionRequestReason} required rows={2} maxlength={DISMISS_REASON_LIMIT} error={errorFor(errors, reasonId)} />
          <button type="submit" class="btn btn-outline-danger btn-sm" safe>{t.adhesionRequestDismiss}</button>
        </form>
      </div>
    </li>
  );
}

/** The office's pending online adhesion requests (an administrator sees every office's), docs/backoffice.md. */
export async function adhesionRequestRoutes(app: FastifyInstance, kit: BackofficeKit): Promise<void> {
  const { deps } = kit;

  async function listPage(request: FastifyRequest, reply: FastifyReply, status: number, errors: readonly FieldProblem[]): Promise<FastifyReply> {
    const requests = await listPendingRequests(deps.db, scopeOf(request.staff!));
    return kit.render(request, reply, status, (ctx) => (
      <Page ctx={ctx} title={ctx.t.adhesionRequestsTitle} section="requests">
        <h1 safe>{ctx.t.adhesionRequestsTitle}</h1>
        <p safe>{ctx.t.adhesionRequestsIntro}</p>
        <ErrorSummary errors={errors} t={ctx.t} />
        <p class="fw-semibold" id="pending-count" safe>{fill(ctx.t.adhesionRequestsPending, { count: String(requests.length) })}</p>
        {requests.length === 0 ? <p safe>{ctx.t.adhesionRequestsNone}</p> : (
          <ul class="list-unstyled">{requests.map((r) => <RequestItem ctx={ctx} r={r} errors={errors} />)}</ul>
        )}
      </Page>
    ));
  }

  app.get('/richieste-adesione', async (request, reply) => listPage(request, reply, 200, []));

  app.post<{ Params: { id: string } }>('/richieste-adesione/:id/scarta', { preHandler: app.csrfProtection }, async (request, reply) => {
    try {
      await dismissRequest(deps, actorOf(request.staff!), request.params.id, readForm(DismissForm, request.body).reason);
    } catch (error) {
      if (!isFormError(error)) throw error;
      return listPage(request, reply, 422, formErrors(error));
    }
    return kit.redirect(reply, REQUESTS_PATH, { kind: 'success', text: kit.text(request).adhesionRequestDismissed });
  });

  app.post<{ Params: { id: string } }>('/richieste-adesione/:id/collega', { preHandler: app.csrfProtection }, async (request, reply) => {
    try {
      const code = await addRequestContactsToCase(deps, actorOf(request.staff!), request.params.id);
      return kit.redirect(reply, `/uffici/pratiche/${code}`, { kind: 'success', text: fill(kit.text(request).adhesionRequestLinked, { code }) });
    } catch (error) {
      if (!isFormError(error)) throw error;
      return listPage(request, reply, 422, formErrors(error));
    }
  });
}
