/** What every page of "La tua pratica on line" shares: the frame, the office's contacts, the rating, the one-message page. */
import { Layout } from '../ui/layout.tsx';
import type { PageAdministration } from '../../../application/administration.ts';
import type { Lang } from '../ui/i18n.ts';
import { format } from '../ui/i18n.ts';
import { PORTAL_TEXT } from './text.ts';


export interface FrameProps {
  lang: Lang;
  path: string;
  administration: PageAdministration;
  demo: boolean;
  /** signed in: the header shows the case (or the SPID/CIE sign-in, `citizen`) and a sign-out button */
  session?: { code: string; csrf: string; citizen?: boolean } | undefined;
}

function SignOut(props: { lang: Lang; code: string; csrf: string; citizen?: boolean | undefined }): JSX.Element {
  const t = PORTAL_TEXT[props.lang];
  return (
    <form method="post" action="/pratica/esci" class="d-flex align-items-center gap-3">
      {props.citizen ? (
        <a class="text-white d-none d-md-inline" href="/pratica/mie-pratiche" safe>
          {t.myCasesTitle}
        </a>
      ) : (
        <></>
      )}
      <span class="text-white d-none d-md-inline" safe>
        {props.code ? format(t.signedInAs, { code: props.code }) : t.signedInCitizen}
      </span>
      <input type="hidden" name="_csrf" value={props.csrf} />
      <button type="submit" class="btn btn-sm btn-outline-light" safe>
        {t.signOut}
      </button>
    </form>
  );
}

// the children are JSX built by these pages, escaped where they were written
export function Frame({ children: safeChildren, ...props }: FrameProps & { title: string; children: JSX.Element | JSX.Element[] }): JSX.Element {
  return (
    <Layout
      lang={props.lang}
      title={props.title}
      area="portal"
      administration={props.administration}
      path={props.path}
      demo={props.demo}
      headerActions={props.session ? <SignOut lang={props.lang} code={props.session.code} csrf={props.session.csrf} citizen={props.session.citizen} /> : undefined}
    >
      {safeChildren}
    </Layout>
  );
}

// ---------------------------------------------------------------------------------------------------
// Sign-in

/**
 * The Designers Italia rating of a service page (data-element="feedback"): five radio buttons drawn as stars,
 * which work without JavaScript; the page it returns to is a fixed word, never an address from the request.
 */
export function Rating(props: { lang: Lang; csrf: string; back: 'accesso' | 'dettaglio' }): JSX.Element {
  const t = PORTAL_TEXT[props.lang];
  return (
    <section class="cmp-rating my-5" data-element="feedback" aria-labelledby="rating-title">
      <div class="card shadow card-wrapper">
        <div class="card-body">
          <h2 id="rating-title" class="h4" safe>
            {t.ratingTitle}
          </h2>
          <form method="post" action="/pratica/valutazione">
            <input type="hidden" name="_csrf" value={props.csrf} />
            <input type="hidden" name="pagina" value={props.back} />
            <fieldset class="rating mb-3">
              <legend class="visually-hidden" safe>
                {t.ratingLegend}
              </legend>
              {/* highest first: the labels float right, so the stars read 1 to 5 and hovering fills those before */}
              {[5, 4, 3, 2, 1].map((n) => (
                <>
                  <input type="radio" id={`rating-${n}`} name="rating" value={String(n)} required />
                  <label class="full rating-star" for={`rating-${n}`}>
                    <svg class="icon icon-sm" aria-hidden="true" focusable="false" viewBox="0 0 24 24">
                      <use href="/static/bootstrap-italia/svg/sprites.svg#it-star-full"></use>
                    </svg>
                    <span class="visually-hidden" safe>
                      {n === 1 ? t.ratingOneStar : format(t.ratingStar, { n })}
                    </span>
                  </label>
                </>
              ))}
            </fieldset>
            <p class="small clearfix pt-2 mb-3" safe>
              {t.ratingNote}
            </p>
            <button type="submit" class="btn btn-outline-primary" safe>
              {t.ratingSubmit}
            </button>
          </form>
        </div>
      </div>
    </section>
  );
}

export interface OfficeContact {
  name: string;
  address: string;
  phone: string | null;
  email: string | null;
  pec: string | null;
  openingHours: string | null;
}

/** One line of a definition list, left out when there is no value; phone numbers and e-mail addresses become links. */
export function Row(props: { label: string; value: string | null; link?: 'tel' | 'mailto' }): JSX.Element {
  if (!props.value) return <></>;
  const href = props.link === 'tel' ? `tel:${props.value.replace(/[^+\d]/g, '')}` : props.link === 'mailto' ? `mailto:${props.value}` : undefined;
  return (
    <>
      <dt class="col-sm-4" safe>
        {props.label}
      </dt>
      {href ? (
        <dd class="col-sm-8">
          <a href={href} safe>
            {props.value}
          </a>
        </dd>
      ) : (
        <dd class="col-sm-8" safe>
          {props.value}
        </dd>
      )}
    </>
  );
}

export function Contacts(props: { lang: Lang; office: OfficeContact }): JSX.Element {
  const t = PORTAL_TEXT[props.lang];
  const o = props.office;
  return (
    <dl class="row mb-0">
      <Row label={t.address} value={o.address} />
      <Row label={t.phone} value={o.phone} link="tel" />
      <Row label={t.email} value={o.email} link="mailto" />
      <Row label={t.pec} value={o.pec} link="mailto" />
      <Row label={t.hours} value={o.openingHours} />
    </dl>
  );
}

/** The offices with their contacts, a card each: whom to ask, on the lost-login page and for a citizen with no case. */
export function OfficeCards(props: { lang: Lang; offices: OfficeContact[] }): JSX.Element {
  const t = PORTAL_TEXT[props.lang];
  return (
    <>
      <h2 class="h3 mt-4" safe>
        {t.offices}
      </h2>
      <div class="row">
        {props.offices.map((office) => (
          <div class="col-12 col-lg-6 mb-4">
            <div class="card card-bg h-100">
              <div class="card-body">
                <h3 class="h5 card-title" safe>
                  {office.name}
                </h3>
                <Contacts lang={props.lang} office={office} />
              </div>
            </div>
          </div>
        ))}
      </div>
    </>
  );
}

/** A page that says one thing and offers one way on: errors, expired links, sessions that ended. */
export function MessagePage(props: FrameProps & { title: string; text: string; link: { href: string; label: string }; tone?: 'danger' | 'warning' | 'info' }): JSX.Element {
  return (
    <Frame {...props} title={props.title}>
      <h1 safe>{props.title}</h1>
      <div class={`alert alert-${props.tone ?? 'warning'}`} role="alert">
        <p class="mb-0" safe>
          {props.text}
        </p>
      </div>
      <p>
        <a class="btn btn-primary" href={props.link.href} safe>
          {props.link.label}
        </a>
      </p>
    </Frame>
  );
}

// ---------------------------------------------------------------------------------------------------
// The case page

/** What has just been done (signed out, channels saved, an answer received), announced to screen readers; nothing without it. */
export function Notice({ text }: { text: string | undefined }): JSX.Element {
  if (!text) return <></>;
  return (
    <div class="alert alert-success" role="status">
      <p class="mb-0" safe>
        {text}
      </p>
    </div>
  );
}
