import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { AppDeps } from '../app.ts';
import { Layout } from '../ui/layout.tsx';
import { LOGO_PATH, loadAdministrationLogo, loadPageAdministration } from '../../../application/administration.ts';
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
    app.get(LOGO_PATH, { schema: { hide: true } }, async (_request, reply) => {
      const logo = await loadAdministrationLogo(deps.db);
      if (!logo) return reply.code(404).type('text/plain; charset=utf-8').send('Nessun logo configurato.');
      // an SVG opened on its own is a document: this policy lets it draw itself and nothing else (no script, no fetch)
      if (logo.type === 'image/svg+xml') reply.header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; sandbox");
      return reply
        .type(logo.type)
        .header('x-content-type-options', 'nosniff')
        .header('content-disposition', 'inline; filename="logo"')
        .header('cache-control', 'public, max-age=3600')
        .send(Buffer.from(logo.bytes));
    });

    app.get('/', { schema: { hide: true } }, async (request, reply) => {
      const t = TEXT[request.lang];
      const administration = await loadPageAdministration(deps.db);
      return reply.type('text/html; charset=utf-8').send(
        <Layout
          lang={request.lang}
          title={t.title}
          area="portal"
          administration={administration}
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
