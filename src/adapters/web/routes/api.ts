import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Static, TSchema } from 'typebox';
import type { Actor } from '../../../application/audit.ts';
import type { CaseCache } from '../../../application/case-cache.ts';
import { enrolCase, getCaseView, listCases, recordEvent } from '../../../application/cases.ts';
import type { CaseView } from '../../../application/cases.ts';
import { caseIdOfCode } from '../../../application/case-lookup.ts';
import { recordIndemnityPayment } from '../../../application/indemnity.ts';
import { getOffice, getProcedure, listOffices, listProcedures } from '../../../application/catalogue.ts';
import { requestFingerprint, runIdempotent } from '../../../application/idempotency.ts';
import type { StoredResponse } from '../../../application/idempotency.ts';
import { passwordStamp, reopenIssuedPassword } from '../../../application/notifications/passwords.ts';
import { updateFiscalIdentifiers } from '../../../application/backoffice/case-admin.ts';
import type { CaseCommand } from '../../../domain/case/decide.ts';
import { normalizeCaseCode } from '../../../domain/case/codes.ts';
import { DomainError } from '../../../domain/errors.ts';
import type { Db } from '../../db/database.ts';
import type { AppDeps } from '../deps.ts';
import { limitApiTokens } from '../plugins/api-rate-limit.ts';
import { caseResource, caseSummaryResource, officeResource, procedureResource } from '../presenters.ts';
import {
  CaseCodeParams, CaseSchema, CaseSummarySchema, CloseBody, CodeParams, CreateCaseBody, FiscalIdentifiersBody, IndemnityPaymentBody, ListCasesQuery, ObservationsBody, SubstituteRequestBody,
  OfficeSchema, ProcedureSchema, ResumeBody, StartBody, SuspendBody, problemResponses,
} from '../schemas.ts';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor;
  }
}

const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(Type.String({ description: 'una richiesta ripetuta con la stessa chiave entro 24 ore non registra due volte e riceve la prima risposta' })),
});
const EventHeaders = Type.Object({
  ...IdempotencyHeaders.properties,
  'if-match': Type.Optional(Type.String({ description: 'la versione (ETag) letta: se nel frattempo è cambiata, 412' })),
});

function parseIfMatch(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const match = /^(?:W\/)?"?(\d{1,9})"?$/.exec(header.trim());
  if (!match) throw new DomainError('invalid-input', 'If-Match deve contenere la versione della pratica, es. W/"3".', { field: 'If-Match' });
  return Number(match[1]);
}

function caseCode(text: string): string {
  const code = normalizeCaseCode(text);
  if (!code) throw new DomainError('not-found', `Pratica ${text} non trovata: il codice ha la forma FC-XXXX-XXXX.`);
  return code;
}

/** An enrolment's answer as kept for a replay; answers kept before the stamp existed have none. */
interface KeptEnrolment {
  case: unknown;
  credentials: { code: string; passwordStamp?: string };
}

/** With an Idempotency-Key, the write and its response are stored together, once. */
async function idempotentWrite(
  db: Db,
  request: FastifyRequest,
  reply: FastifyReply,
  key: string | undefined,
  work: (db: Db) => Promise<StoredResponse>,
  rebuild?: (db: Db, kept: unknown) => Promise<unknown>,
) {
  const result = key
    ? await runIdempotent(db, request.actor.id, key, requestFingerprint(request.method, request.url, request.body), work, rebuild)
    : await work(db);
  if ('replayed' in result && result.replayed) reply.header('idempotent-replayed', 'true');
  return reply.code(result.status).send(result.body);
}

export function apiRoutes(deps: AppDeps, caseViews: CaseCache<CaseView>): FastifyPluginAsync {
  return async (plain: FastifyInstance) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();
    app.decorateRequest('actor', null as unknown as Actor);
    app.addHook('onRequest', async (request, reply) => {
      const header = request.headers.authorization ?? '';
      const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
      const actor = token ? await deps.apiTokens.authenticate(deps.db, token, deps.clock.now()) : undefined;
      if (!actor) {
        reply.header('www-authenticate', 'Bearer realm="pratica-online"');
        throw new DomainError('unauthorized', token ? 'Token non valido o revocato.' : 'Manca il token: Authorization: Bearer <token>.');
      }
      request.actor = actor;
    });
    await limitApiTokens(app, deps.apiTokenWindows, deps.apiRateLimit);

    const caseDeps = { db: deps.db, clock: deps.clock, credentialsKeys: deps.credentialsKeys, io: deps.io, calendar: deps.calendar };

    /** Case ids by code: neither changes in a case's life, so what is kept is never stale, only bounded. */
    const caseIds = new Map<string, string>();
    /** The view of a case as of today, from memory while no change was told (CaseCache); scoped to the office. */
    const readCase = async (officeId: string | null, code: string): Promise<CaseView> => {
      let id = caseIds.get(code);
      if (id === undefined) {
        id = await caseIdOfCode(deps.db, code);
        if (id === undefined) throw new DomainError('not-found', `Pratica ${code} non trovata.`);
        if (caseIds.size >= 100_000) caseIds.clear();
        caseIds.set(code, id);
      }
      const view = await caseViews.get(id, deps.clock.today(), async () => ({ value: await getCaseView(caseDeps, null, code) }));
      if (!view || (officeId !== null && view.case.office_id !== officeId)) throw new DomainError('not-found', `Pratica ${code} non trovata.`);
      return view;
    };

    app.get('/offices', {
      schema: {
        tags: ['uffici'], operationId: 'listOffices', summary: 'Uffici visibili al token',
        response: { 200: Type.Object({ items: Type.Array(OfficeSchema) }), ...problemResponses(400, 401, 429) },
      },
    }, async (request) => ({ items: (await listOffices(deps.db, request.actor.officeId)).map(officeResource) }));

    app.get('/offices/:code', {
      schema: {
        tags: ['uffici'], operationId: 'getOffice', summary: 'Un ufficio, con i suoi recapiti', params: CodeParams,
        response: { 200: OfficeSchema, ...problemResponses(400, 401, 404, 429) },
      },
    }, async (request) => officeResource(await getOffice(deps.db, request.actor.officeId, request.params.code)));

    app.get('/procedures', {
      schema: {
        tags: ['procedimenti'], operationId: 'listProcedures', summary: 'Schede dei procedimenti',
        response: { 200: Type.Object({ items: Type.Array(ProcedureSchema) }), ...problemResponses(400, 401, 429) },
      },
    }, async (request) => ({ items: (await listProcedures(deps.db, request.actor.officeId)).map(procedureResource) }));

    app.get('/procedures/:code', {
      schema: {
        tags: ['procedimenti'], operationId: 'getProcedure', summary: 'La scheda di un procedimento, con il termine e il responsabile', params: CodeParams,
        response: { 200: ProcedureSchema, ...problemResponses(400, 401, 404, 429) },
      },
    }, async (request) => procedureResource(await getProcedure(deps.db, request.actor.officeId, request.params.code)));

    app.post('/cases', {
      schema: {
        tags: ['pratiche'],
        operationId: 'createCase',
        summary: 'Iscrive una pratica al servizio (modulo di adesione)',
        description: 'Restituisce la password del cittadino, che non è conservata in chiaro (ne restano l\'hash e la copia cifrata ' +
          'che i messaggi portano). La stessa richiesta ripetuta con la stessa Idempotency-Key entro 24 ore riceve la stessa ' +
          'risposta, password compresa finché è ancora quella; se nel frattempo ne è stata emessa una nuova, la risposta ripetuta non ha password.',
        headers: IdempotencyHeaders,
        body: CreateCaseBody,
        response: {
          201: Type.Object({ case: CaseSchema, credentials: Type.Object({ code: Type.String(), password: Type.Optional(Type.String()) }) }),
          ...problemResponses(400, 401, 404, 409, 415, 422, 429),
        },
      },
    }, async (request, reply) =>
      idempotentWrite(deps.db, request, reply, request.headers['idempotency-key'], async (db) => {
        const { code, password, passwordHash, view } = await enrolCase({ ...caseDeps, db }, request.actor, request.body);
        reply.header('location', `/api/v1/cases/${code}`);
        const resource = caseResource(view);
        // kept for a replay: the password's stamp, never the password (docs/security.md)
        const kept: KeptEnrolment = { case: resource, credentials: { code, passwordStamp: passwordStamp(passwordHash) } };
        return { status: 201, body: { case: resource, credentials: { code, password } }, kept };
      }, async (db, kept) => {
        const { case: resource, credentials } = kept as KeptEnrolment;
        const password = credentials.passwordStamp ? await reopenIssuedPassword(db, credentials.code, credentials.passwordStamp, deps.credentialsKeys) : undefined;
        reply.header('location', `/api/v1/cases/${credentials.code}`);
        return { case: resource, credentials: password ? { code: credentials.code, password } : { code: credentials.code } };
      }),
    );

    app.get('/cases', {
      schema: {
        tags: ['pratiche'],
        operationId: 'listCases',
        summary: 'Elenco delle pratiche, dalla più recente, con paginazione a cursore',
        querystring: ListCasesQuery,
        response: {
          200: Type.Object({ items: Type.Array(CaseSummarySchema), nextCursor: Type.Union([Type.String(), Type.Null()]) }),
          ...problemResponses(400, 401, 422, 429),
        },
      },
    }, async (request) => {
      const q = request.query;
      const page = await listCases(caseDeps, request.actor.officeId, {
        state: q.state, procedureCode: q.procedure, officeCode: q.office, overdue: q.overdue,
        dueWithinDays: q.dueWithinDays, q: q.q, limit: q.limit, cursor: q.cursor,
      });
      return { items: page.items.map(caseSummaryResource), nextCursor: page.nextCursor };
    });

    app.get('/cases/:code', {
      schema: {
        tags: ['pratiche'], operationId: 'getCase', summary: 'Una pratica con scadenza, sospensioni e storia', params: CaseCodeParams,
        response: { 200: CaseSchema, ...problemResponses(400, 401, 404, 429) },
      },
    }, async (request, reply) => {
      const view = await readCase(request.actor.officeId, caseCode(request.params.code));
      reply.header('etag', `W/"${view.case.version}"`);
      return caseResource(view);
    });

    app.put('/cases/:code/fiscal-identifiers', {
      schema: {
        tags: ['pratiche'], operationId: 'setCaseFiscalIdentifiers', params: CaseCodeParams,
        summary: 'Codice fiscale, partita IVA e codice fiscale del legale rappresentante del richiedente',
        description: 'Sostituisce i tre identificativi (un campo assente o null li toglie). Con il codice fiscale la pratica ' +
          'compare tra "Le mie pratiche" del cittadino che accede con SPID o CIE. La modifica resta nel registro delle operazioni.',
        headers: Type.Object({ 'if-match': EventHeaders.properties['if-match'] }),
        body: FiscalIdentifiersBody,
        response: { 200: CaseSchema, ...problemResponses(400, 401, 404, 409, 412, 415, 422, 429) },
      },
    }, async (request, reply) => {
      const code = caseCode(request.params.code);
      const expectedVersion = parseIfMatch(request.headers['if-match']);
      try {
        await updateFiscalIdentifiers(caseDeps, request.actor, code, request.body, expectedVersion);
      } catch (error) {
        if (error instanceof DomainError && error.code === 'conflict' && expectedVersion !== undefined) {
          throw new DomainError('precondition-failed', error.message, error.details);
        }
        throw error;
      }
      const view = await getCaseView(caseDeps, request.actor.officeId, code);
      reply.header('etag', `W/"${view.case.version}"`);
      return caseResource(view);
    });

    function eventRoute<S extends TSchema>(
      path: string,
      operationId: string,
      summary: string,
      body: S,
      toCommand: (body: Static<S>, today: string) => CaseCommand,
    ) {
      app.post(`/cases/:code/${path}`, {
        schema: {
          tags: ['eventi'], operationId, summary, params: CaseCodeParams, headers: EventHeaders, body,
          response: { 201: CaseSchema, ...problemResponses(400, 401, 404, 409, 412, 415, 422, 429) },
        },
      }, async (request, reply) => {
        const code = caseCode(request.params.code);
        const expectedVersion = parseIfMatch(request.headers['if-match']);
        return idempotentWrite(deps.db, request, reply, request.headers['idempotency-key'], async (db) => {
          const command = toCommand(request.body as Static<S>, deps.clock.today());
          const { view } = await recordEvent({ ...caseDeps, db }, request.actor, code, command, { expectedVersion }).catch((error: unknown) => {
            // an If-Match that no longer matches is a failed precondition (RFC 9110), not a plain conflict
            if (error instanceof DomainError && error.code === 'conflict' && expectedVersion !== undefined) {
              throw new DomainError('precondition-failed', error.message, error.details);
            }
            throw error;
          });
          reply.header('etag', `W/"${view.case.version}"`);
          return { status: 201, body: caseResource(view) };
        });
      });
    }

    type Text = { effectiveOn?: string; reason?: string; notes?: string };
    const text = (b: Text, today: string) => ({ effectiveOn: b.effectiveOn ?? today, reason: b.reason, notes: b.notes });
    eventRoute('start', 'startCase', 'Avvio del procedimento', StartBody, (b, today) => ({ type: 'start', ...text(b, today) }));
    eventRoute('suspend', 'suspendCase', 'Sospensione o interruzione del termine', SuspendBody, (b, today) => ({
      type: 'suspend', ...text(b, today), reason: b.reason, kind: b.kind, legalBasis: b.legalBasis,
    }));
    eventRoute('resume', 'resumeCase', 'Riattivazione dopo una sospensione', ResumeBody, (b, today) => ({ type: 'resume', ...text(b, today) }));
    eventRoute('observations', 'recordObservations', 'Osservazioni del richiedente dopo il preavviso di rigetto (art. 10-bis)', ObservationsBody, (b, today) => ({ type: 'observations', ...text(b, today) }));
    eventRoute(
      'substitute-request', 'recordSubstituteRequest',
      'Richiesta del cittadino al titolare del potere sostitutivo, dopo la scadenza (art. 2 c.9-bis L. 241/1990)',
      SubstituteRequestBody, (b, today) => ({ type: 'substitute-request', ...text(b, today) }),
    );
    eventRoute('close', 'closeCase', 'Chiusura con esito', CloseBody, (b, today) => ({ type: 'close', ...text(b, today), outcome: b.outcome }));

    app.post('/cases/:code/indemnity-payment', {
      schema: {
        tags: ['eventi'], operationId: 'recordIndemnityPayment',
        summary: 'Pagamento dell\'indennizzo da ritardo (art. 2-bis c.1-bis L. 241/1990; art. 28 D.L. 69/2013)',
        description: 'Solo per le pratiche in cui l\'indennizzo è dovuto; con i pagamenti precedenti non oltre quanto maturato, al massimo 2.000 euro.',
        params: CaseCodeParams, headers: IdempotencyHeaders, body: IndemnityPaymentBody,
        response: { 201: CaseSchema, ...problemResponses(400, 401, 404, 415, 422, 429) },
      },
    }, async (request, reply) => {
      const code = caseCode(request.params.code);
      return idempotentWrite(deps.db, request, reply, request.headers['idempotency-key'], async (db) => {
        const view = await recordIndemnityPayment({ db, clock: deps.clock }, request.actor, code, request.body);
        reply.header('etag', `W/"${view.case.version}"`);
        return { status: 201, body: caseResource(view) };
      });
    });
  };
}
