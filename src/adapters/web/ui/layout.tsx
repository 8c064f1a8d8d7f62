import type { Children } from '@kitajs/html';
import type { Lang } from './i18n.ts';
import type { PageAdministration } from '../../../application/administration.ts';

const TEXT = {
  it: {
    skip: 'Vai al contenuto principale',
    service: 'La tua pratica on line',
    backoffice: 'Pratica Online - Uffici',
    language: 'Lingua',
    footer: 'Servizio "La tua pratica on line".',
    support: 'Per problemi nell\'uso del servizio scrivere a',
    website: 'Sito istituzionale',
    privacy: 'Informativa privacy',
    accessibility: 'Dichiarazione di accessibilità',
    legalNotes: 'Note legali',
    demo: 'Ambiente dimostrativo: i dati sono di prova.',
  },
  en: {
    skip: 'Skip to main content',
    service: 'Your case online',
    backoffice: 'Pratica Online - Offices',
    language: 'Language',
    footer: 'The "Your case online" service.',
    support: 'For problems using the service write to',
    website: 'Institutional website',
    privacy: 'Privacy notice',
    accessibility: 'Accessibility statement',
    legalNotes: 'Legal notes',
    demo: 'Demo environment: the data are not real.',
  },
} as const;

export interface LayoutProps {
  lang: Lang;
  title: string;
  /** which service the header names */
  area: 'portal' | 'backoffice';
  /** every text about the administration comes from its set-up; what is not set up is left out */
  administration: PageAdministration;
  /** the current path, to build the language switch link */
  path: string;
  demo?: boolean;
  /** right side of the header: e.g. the signed-in user and a sign-out form */
  headerActions?: Children;
  children?: Children;
}

function languageLink(path: string, lang: Lang): string {
  const url = new URL(path, 'http://x');
  url.searchParams.set('lang', lang);
  return `${url.pathname}${url.search}`;
}

/** The administration's own pages (AgID guidelines: privacy notice and accessibility statement in every footer), those set up. */
function FooterLinks({ administration, t }: { administration: PageAdministration; t: (typeof TEXT)[Lang] }): JSX.Element {
  const links = [
    [administration.website, t.website],
    [administration.privacyNoticeUrl, t.privacy],
    [administration.accessibilityStatementUrl, t.accessibility],
    [administration.legalNotesUrl, t.legalNotes],
  ].filter((link): link is [string, string] => Boolean(link[0]));
  if (!links.length) return <></>;
  return (
    <ul class="list-inline mb-0 mt-2">
      {links.map(([href, label]) => (
        <li class="list-inline-item">
          <a class="text-white" href={href} safe>
            {label}
          </a>
        </li>
      ))}
    </ul>
  );
}

/** The Designers Italia page frame (Bootstrap Italia 2): slim header, centre header, main, footer. */
export function Layout(props: LayoutProps): JSX.Element {
  const t = TEXT[props.lang];
  const other: Lang = props.lang === 'it' ? 'en' : 'it';
  return (
    <>
      {'<!doctype html>'}
      <html lang={props.lang}>
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title safe>{`${props.title} - ${props.area === 'portal' ? t.service : t.backoffice}`}</title>
          <link rel="stylesheet" href="/static/bootstrap-italia/css/bootstrap-italia.min.css" />
          <link rel="stylesheet" href="/static/app/app.css" />
        </head>
        <body>
          <a class="visually-hidden-focusable" href="#main">
            {t.skip}
          </a>
          <header class="it-header-wrapper">
            <div class="it-header-slim-wrapper">
              <div class="container">
                <div class="row">
                  <div class="col-12">
                    <div class="it-header-slim-wrapper-content">
                      <span class="d-lg-block navbar-brand" safe>
                        {props.administration.name}
                      </span>
                      <div class="it-header-slim-right-zone">
                        <a class="btn btn-sm btn-outline-light" href={languageLink(props.path, other)} lang={other} hreflang={other}>
                          {other === 'en' ? 'English' : 'Italiano'}
                        </a>
                      </div>
                    </div>
                  </div>
                </div>
              </div>
            </div>
            <div class="it-header-center-wrapper">
              <div class="container">
                <div class="row">
                  <div class="col-12">
                    <div class="it-header-center-content-wrapper">
                      <div class="it-brand-wrapper">
                        <a href={props.area === 'portal' ? '/pratica' : '/uffici'}>
                          {props.administration.logoUrl ? (
                            // the name is written beside it: the coat of arms is decorative
                            <img class="icon" src={props.administration.logoUrl} alt="" width="82" height="82" />
                          ) : (
                            ''
                          )}
                          <div class="it-brand-text">
                            <div class="it-brand-title">{props.area === 'portal' ? t.service : t.backoffice}</div>
                          </div>
                        </a>
                      </div>
                      <div class="it-right-zone">{props.headerActions}</div>
                    </div>
                  </div>
                </div>
              </div>
            </div>
          </header>
          <main id="main" class="container my-4">
            {props.demo ? (
              <div class="alert alert-warning" role="note">
                {t.demo}
              </div>
            ) : (
              ''
            )}
            {props.children}
          </main>
          <footer class="it-footer">
            <div class="it-footer-main">
              <div class="container py-4">
                <p class="mb-0 text-white">
                  <span>{t.footer}</span>
                  {props.administration.supportEmail ? (
                    <>
                      {' '}
                      <span>{t.support}</span>{' '}
                      <a class="text-white" href={`mailto:${props.administration.supportEmail}`} safe>
                        {props.administration.supportEmail}
                      </a>
                      .
                    </>
                  ) : (
                    ''
                  )}
                </p>
                <FooterLinks administration={props.administration} t={t} />
              </div>
            </div>
          </footer>
          <script src="/static/bootstrap-italia/js/bootstrap-italia.bundle.min.js"></script>
          <script src="/static/app/app.js"></script>
        </body>
      </html>
    </>
  );
}
