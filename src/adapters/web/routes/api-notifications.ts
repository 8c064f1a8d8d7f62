import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Actor } from '../../../application/audit.ts';
import { listCaseNotifications, optOut, resendCredentials } from '../../../application/notifications.ts';
import type { NotificationView } from '../../../application/notifications.ts';
import {
  checkKindAndChannel, getTemplate, listTemplates, previewTemplate, resetTemplate, saveTemplate,
} from '../../../application/notifications/templates.ts';
import type { TemplateView } from '../../../application/notifications/templates.ts';
import { normalizeCaseCode } from '../../../domain/case/codes.ts';
import { DomainError } from '../../../domain/errors.ts';
import { CHANNELS, KIND_LABELS, MESSAGE_KINDS, NOTIFICATION_STATUSES } from '../../../domain/notification/index.ts';
import { parseHttpReceipt } from '../../channels/http-sms.ts';
import { recordReceipt } from '../../../worker/queue.ts';
import type { AppDeps } from '../deps.ts';
import { limitApiTokens } from '../plugins/api-rate-limit.ts';
import { CaseCodeParams, problemResponses } from '../schemas.ts';

const nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
const KindSchema = Type.Enum(MESSAGE_KINDS);
const ChannelSchema = Type.Enum(CHANNELS);

const NotificationSchema = Type.Object({
  id: Type.String({ description: 'anche il Message-ID / riferimento passato al fornitore' }),
  kind: KindSchema,
  kindLabel: Type.String(),
  channel: ChannelSchema,
  recipient: Type.String(),
  status: Type.Enum(NOTIFICATION_STATUSES),
  statusLabel: Type.String(),
  eventSeq: Type.Union([Type.Integer(), Type.Null()]),
  attempts: Type.Integer(),
  subject: nullable(Type.String()),
  body: nullable(Type.String({ description: 'il testo inviato, con la password oscurata' })),
  provider: nullable(Type.String()),
  providerId: nullable(Type.String()),
  lastError: nullable(Type.String()),
  fallbackOf: nullable(Type.String({ description: 'il messaggio non consegnato sull\'altro canale' })),
  createdAt: Type.String(),
  sentAt: nullable(Type.String()),
  deliveredAt: nullable(Type.String()),
  readAt: nullable(Type.String({ description: 'App IO: quando il cittadino l\'ha letto, se IO lo riferisce' })),
  failedAt: nullable(Type.String()),
  nextAttemptAt: nullable(Type.String()),
}, { $id: 'Notification' });

const TemplateSchema = Type.Object({
  kind: KindSchema,
  channel: ChannelSchema,
  subject: Type.String(),
  body: Type.String(),
  custom: Type.Boolean({ description: 'false: testo predefinito' }),
  updatedAt: nullable(Type.String()),
  updatedBy: nullable(Type.String()),
}, { $id: 'NotificationTemplate' });

const TemplateParams = Type.Object({ kind: KindSchema, channel: ChannelSchema });
const TemplateBody = Type.Object({
  subject: Type.Optional(Type.String({ maxLength: 200, description: 'solo e-mail' })),
  body: Type.String({ minLength: 1, maxLength: 20_000 }),
}, { additionalProperties: false });
const CredentialsBody = Type.Object({
  newPassword: Type.Optional(Type.Boolean({ description: 'true: una nuova password sostituisce la precedente' })),
}, { additionalProperties: false });

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function notificationResource(n: NotificationView) {
  return {
    ...n, kindLabel: KIND_LABELS[n.kind], createdAt: n.createdAt.toISOString(), sentAt: iso(n.sentAt), deliveredAt: iso(n.deliveredAt), readAt: iso(n.readAt),
    failedAt: iso(n.failedAt), nextAttemptAt: iso(n.nextAttemptAt),
  };
}

function templateResource(t: TemplateView) {
  return { kind: t.kind, channel: t.channel, subject: t.subject, body: t.body, custom: t.custom, updatedAt: iso(t.updatedAt), updatedBy: t.updatedBy };
}

/** The body is optional (a bare POST resends the same password) and only a JSON one meets the schema: the rest is read here. */
function newPasswordRequested(body: unknown): boolean {
  if (body === undefined || body === null) return false;
  const value = (body as { newPassword?: unknown }).newPassword;
  if (typeof body !== 'object' || (value !== undefined && typeof value !== 'boolean')) {
    throw new DomainError('invalid-input', 'Il corpo della richiesta è facoltativo; se presente: {"newPassword": true|false}.', { field: 'newPassword' });
  }
  return value === true;
}

function caseCode(text: string): string {
  const code = normalizeCaseCode(text);
  if (!code) throw new DomainError('not-found', `Pratica ${text} non trovata: il codice ha la forma FC-XXXX-XXXX.`);
  return code;
}

/** Messages of a case, "Invio EMAIL/SMS", leaving the service, and the texts with their preview. */
export function notificationApiRoutes(deps: AppDeps): FastifyPluginAsync {
  return async (plain: FastifyInstance) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();
    const actors = new WeakMap<FastifyRequest, Actor>();
    const actorOf = (request: FastifyRequest): Actor => actors.get(request)!;

    app.addHook('onRequest', async (request, reply) => {
      if ((request.routeOptions.config as { public?: boolean }).public) return;
      const token = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
      const actor = token ? await deps.apiTokens.authenticate(deps.db, token, deps.clock.now()) : undefined;
      if (!actor) {
        reply.header('www-authenticate', 'Bearer realm="pratica-online"');
        throw new DomainError('unauthorized', token ? 'Token non valido o revocato.' : 'Manca il token: Authorization: Bearer <token>.');
      }
      actors.set(request, actor);
    });
    await limitApiTokens(app, deps.apiTokenWindows, deps.apiRateLimit);

    const noteDeps = { db: deps.db, clock: deps.clock, credentialsKeys: deps.credentialsKeys };

    app.get('/cases/:code/notifications', {
      schema: {
        tags: ['messaggi'], operationId: 'listCaseNotifications', summary: 'I messaggi inviati al cittadino per una pratica, con il loro stato',
        params: CaseCodeParams, response: { 200: Type.Object({ items: Type.Array(NotificationSchema) }), ...problemResponses(400, 401, 404, 429) },
      },
    }, async (request) => ({
      items: (await listCaseNotifications(deps.db, actorOf(request).officeId, caseCode(request.params.code))).map(notificationResource),
    }));

    app.post('/cases/:code/credentials', {
      schema: {
        tags: ['messaggi'],
        operationId: 'resendCredentials',
        summary: 'Invio EMAIL/SMS: rimanda le credenziali ai recapiti scelti dal cittadino',
        description: 'Il corpo è facoltativo: senza, si rimanda la password in uso. Con newPassword=true la password precedente ' +
          'smette di funzionare (per esempio se è finita ad altri).',
        params: CaseCodeParams,
        // keyed by media type, so that a POST without a body is not validated at all
        body: { content: { 'application/json': { schema: CredentialsBody } } },
        response: {
          202: Type.Object({ items: Type.Array(Type.Object({ id: Type.String(), channel: ChannelSchema, recipient: Type.String() })) }),
          ...problemResponses(400, 401, 404, 409, 415, 422, 429),
        },
      },
    }, async (request, reply) => {
      const sent = await resendCredentials(noteDeps, actorOf(request), caseCode(request.params.code), { newPassword: newPasswordRequested(request.body) });
      return reply.code(202).send({ items: sent.map(({ id, channel, recipient }) => ({ id, channel, recipient })) });
    });

    app.post('/cases/:code/opt-out', {
      schema: {
        tags: ['messaggi'],
        operationId: 'optOut',
        summary: 'Il cittadino lascia il servizio: nessun altro messaggio, quelli in coda sono annullati',
        params: CaseCodeParams,
        response: { 200: Type.Object({ optedOutAt: Type.String(), cancelled: Type.Integer() }), ...problemResponses(400, 401, 404, 429) },
      },
    }, async (request) => {
      const result = await optOut(noteDeps, actorOf(request), caseCode(request.params.code));
      return { optedOutAt: result.optedOutAt.toISOString(), cancelled: result.cancelled };
    });

    app.get('/notification-templates', {
      schema: {
        tags: ['testi dei messaggi'], operationId: 'listNotificationTemplates', summary: 'I testi in uso, per evento e canale',
        response: { 200: Type.Object({ items: Type.Array(TemplateSchema) }), ...problemResponses(400, 401, 429) },
      },
    }, async () => ({ items: (await listTemplates(deps.db)).map(templateResource) }));

    app.get('/notification-templates/:kind/:channel', {
      schema: {
        tags: ['testi dei messaggi'], operationId: 'getNotificationTemplate', summary: 'Il testo in uso per un evento e un canale',
        params: TemplateParams, response: { 200: TemplateSchema, ...problemResponses(400, 401, 404, 429) },
      },
    }, async (request) => {
      const { kind, channel } = checkKindAndChannel(request.params.kind, request.params.channel);
      return templateResource(await getTemplate(deps.db, kind, channel));
    });

    app.put('/notification-templates/:kind/:channel', {
      schema: {
        tags: ['testi dei messaggi'],
        operationId: 'saveNotificationTemplate',
        summary: 'Cambia un testo (solo token di amministrazione): rifiutato se non si compone o se manca un elemento obbligatorio',
        params: TemplateParams, body: TemplateBody,
        response: {
          200: Type.Object({ ...TemplateSchema.properties, warnings: Type.Array(Type.String()) }),
          ...problemResponses(400, 401, 403, 404, 415, 422, 429),
        },
      },
    }, async (request) => {
      const { kind, channel } = checkKindAndChannel(request.params.kind, request.params.channel);
      const saved = await saveTemplate(deps.db, actorOf(request), kind, channel, { subject: request.body.subject ?? '', body: request.body.body }, deps.publicBaseUrl);
      return { ...templateResource(saved), warnings: saved.warnings };
    });

    app.delete('/notification-templates/:kind/:channel', {
      schema: {
        tags: ['testi dei messaggi'], operationId: 'resetNotificationTemplate', summary: 'Torna al testo predefinito (solo token di amministrazione)',
        params: TemplateParams, response: { 200: TemplateSchema, ...problemResponses(400, 401, 403, 404, 429) },
      },
    }, async (request) => {
      const { kind, channel } = checkKindAndChannel(request.params.kind, request.params.channel);
      return templateResource(await resetTemplate(deps.db, actorOf(request), kind, channel));
    });

    app.post('/notification-templates/:kind/:channel/preview', {
      schema: {
        tags: ['testi dei messaggi'],
        operationId: 'previewNotificationTemplate',
        summary: 'Anteprima con valori di esempio: del testo inviato, o di quello in uso',
        params: TemplateParams,
        body: Type.Object({ subject: Type.Optional(Type.String({ maxLength: 200 })), body: Type.Optional(Type.String({ maxLength: 20_000 })) }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            problems: Type.Array(Type.String()),
            warnings: Type.Array(Type.String()),
            email: Type.Optional(Type.Object({ subject: Type.String(), text: Type.String(), html: Type.String() })),
            sms: Type.Optional(Type.Object({ text: Type.String(), encoding: Type.String(), characters: Type.Integer(), segments: Type.Integer() })),
            io: Type.Optional(Type.Object({ subject: Type.String(), markdown: Type.String() }, { description: 'il messaggio App IO: oggetto 10-120 caratteri, testo Markdown 80-10.000' })),
          }),
          ...problemResponses(400, 401, 404, 415, 429),
        },
      },
    }, async (request) => {
      const { kind, channel } = checkKindAndChannel(request.params.kind, request.params.channel);
      const current = await getTemplate(deps.db, kind, channel);
      const template = { subject: request.body?.subject ?? current.subject, body: request.body?.body ?? current.body };
      const preview = previewTemplate(kind, channel, template, deps.publicBaseUrl);
      return {
        problems: preview.problems.map((p) => p.text),
        warnings: preview.warnings,
        ...(preview.email ? { email: preview.email } : {}),
        ...(preview.sms ? { sms: { text: preview.sms.text, encoding: preview.sms.analysis.encoding, characters: preview.sms.analysis.units, segments: preview.sms.analysis.segments } } : {}),
        ...(preview.io ? { io: preview.io } : {}),
      };
    });

    // The HTTP SMS provider's delivery receipts: authenticated by the secret in the address it was given.
    app.post<{ Params: { token: string } }>('/notification-receipts/:token', {
      config: { public: true } as object,
      schema: { hide: true },
    }, async (request, reply) => {
      const receipts = deps.httpReceipts;
      const given = Buffer.from(request.params.token);
      if (!receipts || given.length !== Buffer.byteLength(receipts.token) || !timingSafeEqual(given, Buffer.from(receipts.token))) {
        throw new DomainError('not-found', 'Indirizzo sconosciuto.');
      }
      const items = Array.isArray(request.body) ? request.body : [request.body];
      let matched = 0;
      for (const item of items) {
        const receipt = parseHttpReceipt(item, receipts.mapping);
        if (receipt && (await recordReceipt(deps.db, receipt, { now: deps.clock.now(), windowMs: receipts.windowMs })).matched) matched++;
      }
      return reply.code(200).send({ received: items.length, matched });
    });
  };
}
