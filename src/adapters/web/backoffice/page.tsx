import Html from '@kitajs/html';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { StaffUser } from '../../../application/backoffice/auth.ts';
import { Layout } from '../ui/layout.tsx';
import type { FrameProvider } from '../../../application/frame.ts';
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
  section?: 'dashboard' | 'cases' | 'new' | 'import' | 'catalogue' | 'administration' | 'form' | 'reports';
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

/** The list of what is wrong, at the top of a form, announced to screen readers and linked to the fields. */
export function ErrorSummary({ errors, t }: { errors: { field?: string; text: string }[]; t: BackofficeText }): JSX.Element {
  if (errors.length === 0) return '';
  return (
    <div class="alert alert-danger" role="alert" id="form-errors" tabindex="-1">
      <h2 class="h5">{Html.escapeHtml(t.errorTitle)}</h2>
      <ul class="mb-0">
        {errors.map((e) => (
          <li>{e.field ? <a href={`#${e.field}`} safe>{e.text}</a> : <span safe>{e.text}</span>}</li>
        ))}
      </ul>
    </div>
  );
}

export interface FieldProps {
  id: string;
  name?: string;
  label: string;
  value?: string | null | undefined;
  type?: string;
  required?: boolean;
  hint?: string;
  error?: string | undefined;
  autocomplete?: string;
  maxlength?: number;
  inputmode?: string;
}

/**
 * A stored text as a form's value attribute. @kitajs/html escapes only `"` in attributes, so a text holding
 * `&lt;` would reach the browser as `<` and be saved back changed: every character that HTML decodes is escaped.
 */
export function attributeText(value: string | null | undefined): string {
  return Html.escapeHtml(value ?? '');
}

export function Field(p: FieldProps): JSX.Element {
  const describedBy = [p.hint ? `${p.id}-hint` : '', p.error ? `${p.id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div class="mb-3">
      <label class="form-label" for={p.id}>
        {Html.escapeHtml(p.label)}
        {p.required ? <span class="text-danger" aria-hidden="true"> *</span> : ''}
      </label>
      <input
        class={`form-control${p.error ? ' is-invalid' : ''}`}
        id={p.id}
        name={p.name ?? p.id}
        type={p.type ?? 'text'}
        value={attributeText(p.value)}
        required={p.required}
        aria-describedby={describedBy}
        aria-invalid={p.error ? 'true' : undefined}
        autocomplete={p.autocomplete}
        maxlength={p.maxlength}
        inputmode={p.inputmode}
      />
      {p.hint ? <div class="form-text" id={`${p.id}-hint`} safe>{p.hint}</div> : ''}
      {p.error ? <div class="invalid-feedback d-block" id={`${p.id}-error`} safe>{p.error}</div> : ''}
    </div>
  );
}

export function TextArea(p: FieldProps & { rows?: number }): JSX.Element {
  const describedBy = [p.hint ? `${p.id}-hint` : '', p.error ? `${p.id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div class="mb-3">
      <label class="form-label" for={p.id}>
        {Html.escapeHtml(p.label)}
        {p.required ? <span class="text-danger" aria-hidden="true"> *</span> : ''}
      </label>
      <textarea
        class={`form-control${p.error ? ' is-invalid' : ''}`}
        id={p.id}
        name={p.name ?? p.id}
        rows={String(p.rows ?? 3)}
        required={p.required}
        aria-describedby={describedBy}
        aria-invalid={p.error ? 'true' : undefined}
        maxlength={p.maxlength}
        safe
      >
        {`\n${p.value ?? ''}`}
      </textarea>
      {p.hint ? <div class="form-text" id={`${p.id}-hint`} safe>{p.hint}</div> : ''}
      {p.error ? <div class="invalid-feedback d-block" id={`${p.id}-error`} safe>{p.error}</div> : ''}
    </div>
  );
}

export function Select(p: FieldProps & { options: { value: string; label: string; disabled?: boolean }[] }): JSX.Element {
  const describedBy = [p.hint ? `${p.id}-hint` : '', p.error ? `${p.id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div class="mb-3">
      <label class="form-label" for={p.id}>
        {Html.escapeHtml(p.label)}
        {p.required ? <span class="text-danger" aria-hidden="true"> *</span> : ''}
      </label>
      <select
        class={`form-select${p.error ? ' is-invalid' : ''}`}
        id={p.id}
        name={p.name ?? p.id}
        required={p.required}
        aria-describedby={describedBy}
        aria-invalid={p.error ? 'true' : undefined}
      >
        {p.options.map((o) => (
          <option value={attributeText(o.value)} selected={o.value === (p.value ?? '')} disabled={o.disabled} safe>
            {o.label}
          </option>
        ))}
      </select>
      {p.hint ? <div class="form-text" id={`${p.id}-hint`} safe>{p.hint}</div> : ''}
      {p.error ? <div class="invalid-feedback d-block" id={`${p.id}-error`} safe>{p.error}</div> : ''}
    </div>
  );
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


