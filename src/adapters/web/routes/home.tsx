import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { AppDeps } from '../app.ts';

function HomePage(props: { production: boolean }) {
  return (
    <>
      {'<!doctype html>'}
      <html lang="it">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>Pratica Online</title>
        </head>
        <body>
          <main>
            <h1>Pratica Online</h1>
            <p>Il servizio che informa il cittadino, in tempo reale, sullo stato della propria pratica amministrativa.</p>
            <ul>
              <li>
                <a href="/api/docs">Documentazione dell'API per gli uffici</a> (<a href="/api/v1/openapi.json">OpenAPI</a>)
              </li>
              <li>
                <a href="/health">Stato del servizio</a>
              </li>
            </ul>
            {props.production ? '' : <p>Ambiente dimostrativo: i dati sono di prova.</p>}
          </main>
        </body>
      </html>
    </>
  );
}

export function homeRoutes(deps: AppDeps): FastifyPluginAsync {
  return async (app: FastifyInstance) => {
    app.get('/', { schema: { hide: true } }, async (_request, reply) =>
      reply.type('text/html; charset=utf-8').send(<HomePage production={deps.production} />),
    );
  };
}
