import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { AppDeps } from '../app.ts';
import { Layout } from '../ui/layout.tsx';
import type { Dictionary } from '../ui/i18n.ts';

const TEXT: Dictionary<'title' | 'intro' | 'api' | 'health'> = {
  it: {
    title: 'Pratica Online',
    intro: 'Il servizio che informa il cittadino, in tempo reale, sullo stato della propria pratica amministrativa.',
    api: 'Documentazione dell\'API per gli uffici',
    health: 'Stato del servizio',
  },
  en: {
    title: 'Pratica Online',
    intro: 'The service that tells citizens, in real time, where their administrative case stands.',
    api: 'API documentation for the offices',
    health: 'Service status',
  },
};

export function homeRoutes(deps: AppDeps): FastifyPluginAsync {
  return async (app: FastifyInstance) => {
    app.get('/', { schema: { hide: true } }, async (request, reply) => {
      const t = TEXT[request.lang];
      const administration = await deps.db.selectFrom('administrations').select(['name', 'support_email']).executeTakeFirst();
      return reply.type('text/html; charset=utf-8').send(
        <Layout
          lang={request.lang}
          title={t.title}
          area="portal"
          administrationName={administration?.name ?? 'Pratica Online'}
          supportEmail={administration?.support_email}
          path={request.url}
          demo={!deps.production}
        >
          <h1 safe>{t.title}</h1>
          <p class="lead" safe>{t.intro}</p>
          <ul>
            <li>
              <a href="/api/docs" safe>{t.api}</a> (<a href="/api/v1/openapi.json">OpenAPI</a>)
            </li>
            <li>
              <a href="/health" safe>{t.health}</a>
            </li>
          </ul>
        </Layout>,
      );
    });
  };
}
