import Html from '@kitajs/html';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { StaffUser } from '../../../application/backoffice/auth.ts';
import { Layout } from '../ui/layout.tsx';
import type { FrameProvider } from '../../../application/frame.ts';
import { ErrorSummary as SharedErrorSummary } from '../ui/form.tsx';
import type { FieldProblem } from '../../../domain/errors.ts';
export { Checkbox, Choices, Field, Select, TextArea, attributeText, errorFor } from '../ui/form.tsx';
export type { FieldProps } from '../ui/form.tsx';
import type { PageAdministration } from '../../../application/administration.ts';
import { canImportCases, canManageAdministration, canSeeCatalogue } from '../../../domain/policy.ts';
import { textOf } from './text.ts';
import type { BackofficeText } from './text.ts';

export interface Flash {
  kind: 'success' | 'info' | 'warning' | 'danger';
  text: string;
  /** shown once after enrolment (the citizen's login: code + password) */
  credentials?: { code: string; password: string };
}

export interface PageContext {
  lang: 'it' | 'en';
  t: BackofficeText;
  user: StaffUser | undefined;
  csrf: string;
  path: string;
  production: boolean;
  administration: PageAdministration;
  administrationName: string;
  flash: Flash | undefined;
  /** the Italian calendar day, from the injected clock */
  today: string;
}

export interface PageProps {
  ctx: PageContext;
  title: string;
  /** which menu entry is the current page */
  section?: 'dashboard' | 'cases' | 'new' | 'import' | 'catalogue' | 'administration' | 'form' | 'requests' | 'reports';
  children?: JSX.Element | JSX.Element[];
}

export function roleLabel(t: BackofficeText, role: string): string {
  return role === 'admin' ? t.roleAdmin : role === 'office-manager' ? t.roleManager : t.roleOfficer;
}

function UserBox({ ctx }: { ctx: PageContext }): JSX.Element {
  const { user, t } = ctx;
  if (!user) return '';
  return (
    <div class="d-flex align-items-center gap-3 text-white">
      <span>
        <span class="visually-hidden">{Html.escapeHtml(t.signedInAs)}: </span>
        <strong safe>{user.name}</strong>
        <span safe>{` (${roleLabel(t, user.role)}${user.officeCode ? `, ${user.officeCode}` : ''})`}</span>
      </span>
      <a class="text-white" href="/uffici/password">{Html.escapeHtml(t.changePassword)}</a>
      <form method="post" action="/uffici/esci" class="m-0">
        <input type="hidden" name="_csrf" value={ctx.csrf} />
        <button type="submit" class="btn btn-sm btn-outline-light">
          {Html.escapeHtml(t.signOut)}
        </button>
      </form>
    </div>
  );
}

function Menu({ ctx, section }: { ctx: PageContext; section: PageProps['section'] }): JSX.Element {
  const { user, t } = ctx;
  if (!user) return '';
  const items: [NonNullable<PageProps['section']>, string, string][] = [
    ['dashboard', '/uffici', t.dashboard],
    ['cases', '/uffici/pratiche', t.cases],
    ['new', '/uffici/pratiche/nuova', t.newCase],
    ...(canImportCases(user) ? [['import', '/uffici/importa', t.import] as [NonNullable<PageProps['section']>, string, string]] : []),
    ...(canSeeCatalogue(user) ? [['catalogue', '/uffici/catalogo', t.catalogue] as [NonNullable<PageProps['section']>, string, string]] : []),
    ...(canManageAdministration(user) ? [['administration', '/uffici/amministrazione', t.administration] as [NonNullable<PageProps['section']>, string, string]] : []),
    ['form', '/uffici/modulo-adesione', t.adhesionForm],
    ['requests', '/uffici/richieste-adesione', t.adhesionRequests],
    ['reports', '/uffici/report', t.reports],
  ];
  return (
    <nav aria-label={t.nav} class="office-menu mb-4 no-print">
      <ul class="nav nav-tabs">
        {items.map(([key, href, label]) => (
          <li class="nav-item">
            <a class={`nav-link${key === section ? ' active' : ''}`} href={href} aria-current={key === section ? 'page' : undefined}>
              {Html.escapeHtml(label)}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

export function FlashBox({ flash, t }: { flash: Flash | undefined; t: BackofficeText }): JSX.Element {
  if (!flash) return '';
  return (
    <div class={`alert alert-${flash.kind}`} role={flash.kind === 'danger' || flash.kind === 'warning' ? 'alert' : 'status'}>
      <p class="mb-0" safe>
        {flash.text}
      </p>
      {flash.credentials ? (
        <div class="mt-3">
          <p class="fw-semibold mb-1">{Html.escapeHtml(t.credentialsOnce)}</p>
          <dl class="row mb-0 credentials">
            <dt class="col-sm-3">{Html.escapeHtml(t.caseCode)}</dt>
            <dd class="col-sm-9 font-monospace" safe>
              {flash.credentials.code}
            </dd>
            <dt class="col-sm-3">{Html.escapeHtml(t.password)}</dt>
            <dd class="col-sm-9 font-monospace" safe>
              {flash.credentials.password}
            </dd>
          </dl>
        </div>
      ) : (
        ''
      )}
    </div>
  );
}

export function Page(props: PageProps): JSX.Element {
  const { ctx } = props;
  // the children are JSX built by the pages, escaped where they were written
  const safeChildren = props.children;
  return (
    <Layout
      lang={ctx.lang}
      title={props.title}
      area="backoffice"
      administration={ctx.administration}
      path={ctx.path}
      demo={!ctx.production}
      headerActions={ctx.user ? <UserBox ctx={ctx} /> : undefined}
    >
      <Menu ctx={ctx} section={props.section} />
      <FlashBox flash={ctx.flash} t={ctx.t} />
      {safeChildren}
    </Layout>
  );
}

/** The list of what is wrong, at the top of a back-office form: the shared summary, with the area's title. */
export function ErrorSummary({ errors, t }: { errors: readonly FieldProblem[]; t: BackofficeText }): JSX.Element {
  return <SharedErrorSummary errors={errors} title={t.errorTitle} />;
}

export function CsrfField({ ctx }: { ctx: PageContext }): JSX.Element {
  return <input type="hidden" name="_csrf" value={ctx.csrf} />;
}

export function sendPage(reply: FastifyReply, status: number, html: JSX.Element): FastifyReply {
  return reply.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(html);
}

export async function pageContext(
  frame: FrameProvider,
  request: FastifyRequest,
  reply: FastifyReply,
  production: boolean,
  today: string,
  flash?: Flash,
): Promise<PageContext> {
  const administration = await frame.administrationOrUnset();
  return {
    lang: request.lang,
    t: textOf(request.lang),
    user: request.staff,
    csrf: await reply.generateCsrf(),
    path: request.url,
    production,
    administration,
    administrationName: administration.name,
    flash,
    today,
  };
}


