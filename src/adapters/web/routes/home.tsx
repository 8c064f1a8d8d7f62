import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { AppDeps } from '../deps.ts';
import { Layout } from '../ui/layout.tsx';
import { LOGO_PATH, loadAdministrationLogo } from '../../../application/administration.ts';
import type { Dictionary } from '../ui/i18n.ts';
import { calculatorRoutes } from './calculator.tsx';

type HomeKey =
  | 'title' | 'intro' | 'audiences' | 'citizens' | 'citizensText' | 'citizensLink' | 'staff' | 'staffText' | 'staffLink'
  | 'public' | 'publicText' | 'publicLink' | 'systems' | 'api' | 'health';

const TEXT: Dictionary<HomeKey> = {
  it: {
    title: 'Pratica Online',
    intro: 'Il servizio che informa il cittadino, in tempo reale, sullo stato della propria pratica amministrativa.',
    audiences: 'A chi serve',
    citizens: 'Cittadini e imprese',
    citizensText: 'Hai presentato una domanda e aderito al servizio? Accedi con il codice pratica e la password ricevuti per seguire la tua pratica: stato, scadenza, sospensioni e ufficio responsabile.',
    citizensLink: 'Accedi alla tua pratica',
    staff: 'Uffici',
    staffText: 'Il personale iscrive le pratiche, ne registra avvio, sospensioni e conclusione e consulta i report.',
    staffLink: 'Area riservata agli uffici',
    public: 'Tutti',
    publicText: 'I tempi medi di conclusione di ogni procedimento e la scheda informativa di ciascuno, senza accesso.',
    publicLink: 'Tempi dei procedimenti',
    systems: 'Per i sistemi informativi',
    api: 'Documentazione dell\'API per gli uffici',
    health: 'Stato del servizio',
  },
  en: {
    title: 'Pratica Online',
    intro: 'The service that tells citizens, in real time, where their administrative case stands.',
    audiences: 'Who it is for',
    citizens: 'Citizens and businesses',
    citizensText: 'Did you file an application and join the service? Sign in with the case code and password you received to follow your case: state, deadline, suspensions and responsible office.',
    citizensLink: 'Sign in to your case',
    staff: 'Offices',
    staffText: 'Staff enrol cases, record their start, suspensions and conclusion, and read the reports.',
    staffLink: 'Offices\' reserved area',
    public: 'Everyone',
    publicText: 'The average completion times of every procedure and each procedure\'s information card, without signing in.',
    publicLink: 'Procedure times',
    systems: 'For information systems',
    api: 'API documentation for the offices',
    health: 'Service status',
  },
};

/** One audience's card: what the service does for it and where to go. */
function Audience(props: { title: string; text: string; href: string; link: string; icon: string }): JSX.Element {
  return (
    <div class="col-12 col-lg-4 mb-4">
      <div class="card-wrapper card-space">
        <div class="card card-bg no-after">
          <div class="card-body">
            <h3 class="card-title h5">
              <svg class="icon icon-primary me-2" aria-hidden="true" focusable="false">
                <use href={`/static/bootstrap-italia/svg/sprites.svg#${props.icon}`}></use>
              </svg>
              <span safe>{props.title}</span>
            </h3>
            <p class="card-text font-sans-serif" safe>
              {props.text}
            </p>
            <a class="btn btn-primary" href={props.href} safe>
              {props.link}
            </a>
          </div>
        </div>
      </div>
    </div>
  );
}

export function homeRoutes(deps: AppDeps): FastifyPluginAsync {
  return async (app: FastifyInstance) => {
    await app.register(calculatorRoutes(deps));
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
      const administration = await deps.frame.administration();
      return reply.type('text/html; charset=utf-8').send(
        <Layout
          lang={request.lang}
          title={t.title}
          area="portal"
          administration={administration}
          path={request.url}
          demo={!deps.production}
        >
          <div class="d-flex align-items-center gap-3 mb-3">
            {administration.logoUrl ? <img src={administration.logoUrl} alt="" width="64" height="64" /> : ''}
            <div>
              <h1 class="mb-0" safe>{t.title}</h1>
              <p class="mb-0 fw-semibold" safe>{administration.name}</p>
            </div>
          </div>
          <p class="lead" safe>{t.intro}</p>
          <section aria-labelledby="audiences-title" class="mt-4">
            <h2 id="audiences-title" class="h4" safe>{t.audiences}</h2>
            <div class="row">
              <Audience title={t.citizens} text={t.citizensText} href="/pratica" link={t.citizensLink} icon="it-user" />
              <Audience title={t.staff} text={t.staffText} href="/uffici" link={t.staffLink} icon="it-pa" />
              <Audience title={t.public} text={t.publicText} href="/trasparenza/tempi-procedimentali" link={t.publicLink} icon="it-chart-line" />
            </div>
          </section>
          <section aria-labelledby="systems-title" class="mt-2">
            <h2 id="systems-title" class="h6" safe>{t.systems}</h2>
            <ul>
              <li>
                <a href="/api/docs" safe>{t.api}</a> (<a href="/api/v1/openapi.json">OpenAPI</a>)
              </li>
              <li>
                <a href="/health" safe>{t.health}</a>
              </li>
            </ul>
          </section>
        </Layout>,
      );
    });
  };
}
