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
    home: 'Home',
    breadcrumb: 'Percorso di navigazione',
    contacts: 'Contatti',
    address: 'Indirizzo',
    pec: 'PEC',
    report: 'Segnala un disservizio',
    usefulLinks: 'Link utili',
    transparency: 'Tempi dei procedimenti',
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
    home: 'Home',
    breadcrumb: 'Breadcrumb',
    contacts: 'Contacts',
    address: 'Address',
    pec: 'Certified e-mail (PEC)',
    report: 'Report a problem with the service',
    usefulLinks: 'Useful links',
    transparency: 'Procedure times',
  },
} as const;

/** One step of the breadcrumb between the home and the current page. */
export interface Crumb {
  href: string;
  label: string;
}

export interface LayoutProps {
  lang: Lang;
  title: string;
  /** which service the header names */
  area: 'portal' | 'backoffice';
  /** every text about the administration comes from its set-up; what is not set up is left out */
  administration: PageAdministration;
  /** the current path, to build the language switch link and the breadcrumb */
  path: string;
  demo?: boolean;
  /** the pages between the home and this one (the title closes the breadcrumb); by default the area's first page */
  trail?: Crumb[];
  /** beside the language switch: e.g. the signed-in user and a sign-out form */
  headerActions?: Children;
  children?: Children;
}

type Text = (typeof TEXT)[Lang];

function languageLink(path: string, lang: Lang): string {
  const url = new URL(path, 'http://x');
  url.searchParams.set('lang', lang);
  return `${url.pathname}${url.search}`;
}

function areaHome(area: LayoutProps['area'], t: Text): Crumb {
  return area === 'portal' ? { href: '/pratica', label: t.service } : { href: '/uffici', label: t.backoffice };
}

/** Designers Italia: a breadcrumb on every page below the home, the current page last and not a link. */
function Breadcrumb({ props, t }: { props: LayoutProps; t: Text }): JSX.Element {
  const pathname = new URL(props.path, 'http://x').pathname;
  if (pathname === '/') return <></>;
  const home = areaHome(props.area, t);
  const trail = props.trail ?? (pathname.startsWith(`${home.href}/`) ? [home] : []);
  return (
    <nav class="breadcrumb-container" aria-label={t.breadcrumb}>
      <ol class="breadcrumb p-0 mb-3">
        {[{ href: '/', label: t.home }, ...trail].map((crumb) => (
          <li class="breadcrumb-item">
            <a href={crumb.href} safe>
              {crumb.label}
            </a>
            <span class="separator" aria-hidden="true">
              /
            </span>
          </li>
        ))}
        <li class="breadcrumb-item active" aria-current="page" safe>
          {props.title}
        </li>
      </ol>
    </nav>
  );
}

/** The administration's own pages (AgID guidelines: privacy notice and accessibility statement in every footer), those set up. */
function FooterLinks({ administration, t }: { administration: PageAdministration; t: Text }): JSX.Element {
  const links = [
    [administration.website, t.website],
    [administration.privacyNoticeUrl, t.privacy],
    [administration.legalNotesUrl, t.legalNotes],
    [administration.accessibilityStatementUrl, t.accessibility],
    [administration.supportEmail ? `mailto:${administration.supportEmail}` : null, t.report],
  ].filter((link): link is [string, string] => Boolean(link[0]));
  if (!links.length) return <></>;
  return (
    <div class="it-footer-small-prints clearfix">
      <div class="container">
        <h2 class="visually-hidden">
          {t.usefulLinks}
        </h2>
        <ul class="it-footer-small-prints-list list-inline mb-0 d-flex flex-column flex-md-row">
          {links.map(([href, label]) => (
            <li class="list-inline-item">
              <a class="text-white" href={href} safe>
                {label}
              </a>
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}

/** The administration's contacts, as the Designers Italia footer (cmp-footer) shows them; left out when none is set up. */
function FooterContacts({ administration, t }: { administration: PageAdministration; t: Text }): JSX.Element {
  const rows = [
    [t.address, administration.address, null],
    [t.pec, administration.pec, administration.pec ? `mailto:${administration.pec}` : null],
  ].filter((row): row is [string, string, string | null] => Boolean(row[1]));
  if (!rows.length) return <></>;
  return (
    <section class="mt-3">
      <h3 class="h6 text-white text-uppercase">
        {t.contacts}
      </h3>
      <dl class="mb-0 text-white">
        {rows.map(([label, value, href]) => (
          <div>
            <dt class="d-inline fw-normal" safe>{`${label}: `}</dt>
            <dd class="d-inline mb-0">
              {href ? (
                <a class="text-white" href={href} safe>
                  {value}
                </a>
              ) : (
                <span safe>{value}</span>
              )}
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

/** The administration's coat of arms: the name is written beside it, so the image is decorative. */
function Logo({ administration }: { administration: PageAdministration }): JSX.Element {
  return administration.logoUrl ? <img class="icon" src={administration.logoUrl} alt="" width="82" height="82" /> : <></>;
}

/** The Designers Italia page frame (Bootstrap Italia 2, cmp-header and cmp-footer): slim header, centre header, breadcrumb, main, footer. */
export function Layout(props: LayoutProps): JSX.Element {
  const t = TEXT[props.lang];
  const other: Lang = props.lang === 'it' ? 'en' : 'it';
  const service = props.area === 'portal' ? t.service : t.backoffice;
  const home = areaHome(props.area, t);
  return (
    <>
      {'<!doctype html>'}
      <html lang={props.lang}>
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title safe>{`${props.title} - ${service}`}</title>
          <link rel="icon" type="image/svg+xml" href="/static/app/favicon.svg" />
          <link rel="stylesheet" href="/static/app/fonts.css" />
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
                      {props.administration.website ? (
                        <a class="navbar-brand" href={props.administration.website} safe>
                          {props.administration.name}
                        </a>
                      ) : (
                        <span class="navbar-brand" safe>
                          {props.administration.name}
                        </span>
                      )}
                      <div class="it-header-slim-right-zone">
                        {props.headerActions}
                        <a class="slim-language" href={languageLink(props.path, other)} lang={other} hreflang={other}>
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
                        <a href={home.href}>
                          <Logo administration={props.administration} />
                          <div class="it-brand-text">
                            <div class="it-brand-title">
                              {service}
                            </div>
                            <div class="it-brand-tagline d-none d-md-block" safe>
                              {props.administration.name}
                            </div>
                          </div>
                        </a>
                      </div>
                    </div>
                  </div>
                </div>
              </div>
            </div>
          </header>
          <main id="main" class="container my-4">
            <Breadcrumb props={props} t={t} />
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
                <div class="it-brand-wrapper mb-3">
                  <a href={props.administration.website ?? '/'}>
                    <Logo administration={props.administration} />
                    <div class="it-brand-text">
                      <div class="it-brand-title" safe>
                        {props.administration.name}
                      </div>
                    </div>
                  </a>
                </div>
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
                <FooterContacts administration={props.administration} t={t} />
                <p class="mb-0 mt-2">
                  <a class="text-white" href="/trasparenza/tempi-procedimentali">
                    {t.transparency}
                  </a>
                </p>
              </div>
            </div>
            <FooterLinks administration={props.administration} t={t} />
          </footer>
        </body>
      </html>
    </>
  );
}
