import Html from '@kitajs/html';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { actorOf } from '../../../application/backoffice/auth.ts';
import type { StaffUser } from '../../../application/backoffice/auth.ts';
import { addLocalDay, previewProcedureDeadline, removeLocalDay, saveOffice, saveProcedure, saveStaff, unlockStaff } from '../../../application/backoffice/catalogue-admin.ts';
import { listOffices, listProcedures } from '../../../application/catalogue.ts';
import { issueTemporaryPassword, sendResetLink, setStaffActive } from '../../../application/backoffice/staff-accounts.ts';
import { checkKindAndChannel, getTemplate, listTemplates, previewTemplate, resetTemplate, saveTemplate } from '../../../application/notifications/templates.ts';
import type { Preview } from '../../../application/notifications/templates.ts';
import { formatItalianDate, nationalHolidaysOfYear } from '../../../domain/deadline/index.ts';
import type { DeadlineResult } from '../../../domain/deadline/index.ts';
import { DomainError } from '../../../domain/errors.ts';
import { CHANNEL_LABELS, KIND_LABELS, RESET_LINK_MINUTES, VARIABLES } from '../../../domain/notification/index.ts';
import {
  assertAllowed, canCreateOffices, canEditOffice, canManageCalendar, canManageProcedures, canManageStaff, canManageTemplates, canSeeCatalogue, scopeOf,
} from '../../../domain/policy.ts';
import { describeTerm } from '../../../domain/procedure.ts';
import { italianDayAndTime } from '../../../application/clock.ts';
import { isUuid } from '../../../domain/text.ts';
import type { BackofficeKit } from './kit.ts';
import { Checkbox, CsrfField, ErrorSummary, Field, Page, Select, TextArea, attributeText, errorFor, roleLabel } from './page.tsx';
import type { PageContext } from './page.tsx';
import { fill } from './text.ts';
import type { BackofficeText } from './text.ts';
import { Text, formErrors, inFormOrder, isFormError, readForm } from './forms.ts';
import { findOfficeByCode, findProcedureForm, findStaffMember, listAssignableStaff, listLocalDays, listStaff, staffEmail } from '../../../application/backoffice/catalogue-queries.ts';

type Errors = { field?: string; text: string }[];

interface FieldSpec {
  name: string;
  label: string;
  kind?: 'text' | 'textarea' | 'checkbox' | 'select' | 'email';
  required?: boolean;
  hint?: string;
  options?: { value: string; label: string }[];
  readonly?: boolean;
}


/** One generic form for the catalogue's records: the fields differ, the behaviour does not. */
function RecordForm({ ctx, action, fields, values, errors, submit, extra }: {
  ctx: PageContext; action: string; fields: FieldSpec[]; values: Record<string, string>; errors: Errors; submit: string; extra?: JSX.Element;
}): JSX.Element {
  // JSX built by the caller, escaped there
  const safeExtra = extra ?? '';
  return (
    <form method="post" action={action} novalidate>
      <CsrfField ctx={ctx} />
      <ErrorSummary errors={inFormOrder(errors, fields.map((f) => f.name))} t={ctx.t} />
      {fields.map((f) => {
        if (f.readonly) return <p><strong safe>{f.label}</strong>: <span safe>{values[f.name] ?? ''}</span></p>;
        const error = errorFor(errors, f.name);
        if (f.kind === 'checkbox') return <Checkbox id={f.name} label={f.label} hint={f.hint} checked={values[f.name] === 'yes'} error={error} />;
        if (f.kind === 'textarea') return <TextArea id={f.name} label={f.label} value={values[f.name]} required={f.required} hint={f.hint} error={error} />;
        if (f.kind === 'select') return <Select id={f.name} label={f.label} value={values[f.name]} required={f.required} options={f.options ?? []} hint={f.hint} error={error} />;
        return <Field id={f.name} label={f.label} type={f.kind === 'email' ? 'email' : 'text'} value={values[f.name]} required={f.required} hint={f.hint} error={error} />;
      })}
      {safeExtra}
      <div class="d-flex gap-2 flex-wrap">
        <button type="submit" class="btn btn-primary" name="action" value="save" safe>{submit}</button>
        <a class="btn btn-outline-primary" href="/uffici/catalogo">{Html.escapeHtml(ctx.t.catalogue)}</a>
      </div>
    </form>
  );
}

/** A catalogue form's body, its schema derived from the form's list of fields. */
function valuesOf(body: unknown, fields: FieldSpec[]): Record<string, string> {
  const form: Record<string, string> = readForm(Type.Object(Object.fromEntries(fields.map((f) => [f.name, Text]))), body);
  return Object.fromEntries(fields.map((f) => [f.name, f.kind === 'checkbox' ? (form[f.name] === 'yes' ? 'yes' : '') : form[f.name] ?? '']));
}

/** The button that sent a form with more than one: 'preview', 'save', 'reset'. */
const ActionForm = Type.Object({ action: Text });

const CalendarQuery = Type.Object({ anno: Text });
const DayForm = Type.Object({ day: Text, month: Text, name: Text });
const TemplateForm = Type.Object({ subject: Text, body: Text, action: Text });

const yes = (v: string | undefined) => v === 'yes';
const flag = (b: boolean) => (b ? 'yes' : '');

export async function catalogueRoutes(app: FastifyInstance, kit: BackofficeKit): Promise<void> {
  const { deps } = kit;
  const db = deps.db;
  const user = (request: FastifyRequest): StaffUser => request.staff!;
  const guard = (request: FastifyRequest) => assertAllowed(canSeeCatalogue(user(request)), 'consultare il catalogo');

  // --- index -------------------------------------------------------------------------------------
  app.get('/catalogo', async (request, reply) => {
    guard(request);
    const me = user(request);
    const scope = scopeOf(me);
    const [offices, procedures, staff] = await Promise.all([
      listOffices(db, scope),
      listProcedures(db, scope),
      listStaff(db, scope),
    ]);
    return kit.render(request, reply, 200, (ctx) => {
      const t = ctx.t;
      return (
        <Page ctx={ctx} title={t.catalogue} section="catalogue">
          <h1>{Html.escapeHtml(t.catalogue)}</h1>
          <p>{Html.escapeHtml(t.catalogueIntro)}</p>
          <ul class="list-inline">
            {canManageCalendar(me) ? <li class="list-inline-item"><a href="/uffici/catalogo/calendario">{Html.escapeHtml(t.calendar)}</a></li> : ''}
            {canManageTemplates(me) ? <li class="list-inline-item"><a href="/uffici/catalogo/modelli">{Html.escapeHtml(t.templates)}</a></li> : ''}
          </ul>
          <section aria-labelledby="h-offices" class="mb-4">
            <h2 class="h4" id="h-offices">{Html.escapeHtml(t.offices)}</h2>
            {canCreateOffices(me) ? <p><a class="btn btn-sm btn-outline-primary" href="/uffici/catalogo/uffici/nuovo">{Html.escapeHtml(t.newOffice)}</a></p> : ''}
            <ul>
              {offices.map((o) => (
                <li>
                  {canEditOffice(me, o.id) ? <a href={`/uffici/catalogo/uffici/${o.code}`} safe>{`${o.code} — ${o.name}`}</a> : <span safe>{`${o.code} — ${o.name}`}</span>}
                </li>
              ))}
            </ul>
          </section>
          <section aria-labelledby="h-procedures" class="mb-4">
            <h2 class="h4" id="h-procedures">{Html.escapeHtml(t.procedures)}</h2>
            <p><a class="btn btn-sm btn-outline-primary" href="/uffici/catalogo/procedimenti/nuovo">{Html.escapeHtml(t.newProcedure)}</a></p>
            <div class="table-responsive">
              <table class="table table-sm">
                <caption class="visually-hidden">{Html.escapeHtml(t.procedures)}</caption>
                <thead><tr><th scope="col">{Html.escapeHtml(t.code)}</th><th scope="col">{Html.escapeHtml(t.name)}</th><th scope="col">{Html.escapeHtml(t.term)}</th><th scope="col">{Html.escapeHtml(t.office)}</th></tr></thead>
                <tbody>
                  {procedures.map((p) => (
                    <tr>
                      <th scope="row">{canManageProcedures(me, p.office_id) ? <a href={`/uffici/catalogo/procedimenti/${p.code}`} safe>{p.code}</a> : <span safe>{p.code}</span>}</th>
                      <td safe>{`${p.name}${p.active ? '' : ` (${t.inactive})`}`}</td>
                      <td safe>{p.term_amount === null ? fill(t.noNumericTerm, { term: p.term_text }) : describeTerm({ name: p.name, termText: p.term_text, termAmount: p.term_amount, termUnit: p.term_unit, active: p.active })}</td>
                      <td safe>{p.office_code}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
          <section aria-labelledby="h-staff" class="mb-4">
            <h2 class="h4" id="h-staff">{Html.escapeHtml(t.staff)}</h2>
            <p><a class="btn btn-sm btn-outline-primary" href="/uffici/catalogo/personale/nuovo">{Html.escapeHtml(t.newUser)}</a></p>
            <ul>
              {staff.map((s) => (
                <li>
                  {canManageStaff(me, { officeId: s.office_id, role: s.role }) ? <a href={`/uffici/catalogo/personale/${s.id}`} safe>{s.name}</a> : <span safe>{s.name}</span>}
                  <span safe>{` — ${s.email}, ${roleLabel(t, s.role)}${s.office_code ? `, ${s.office_code}` : ''}${s.active ? '' : ` (${t.deactivated})`}`}</span>
                </li>
              ))}
            </ul>
          </section>
        </Page>
      );
    });
  });

  // --- offices -----------------------------------------------------------------------------------
  const officeFields = (t: BackofficeText, creating: boolean): FieldSpec[] => [
    { name: 'code', label: t.code, required: true, readonly: !creating, hint: t.officeCodeHint },
    { name: 'name', label: t.name, required: true },
    { name: 'address', label: t.address, required: true },
    { name: 'phone', label: t.phone },
    { name: 'email', label: t.email, kind: 'email' },
    { name: 'pec', label: t.pec, kind: 'email' },
    { name: 'openingHours', label: t.openingHours },
  ];
  const officePage = (request: FastifyRequest, reply: FastifyReply, status: number, code: string | undefined, values: Record<string, string>, errors: Errors) =>
    kit.render(request, reply, status, (ctx) => (
      <Page ctx={ctx} title={code ? fill(ctx.t.officeTitle, { code }) : ctx.t.newOffice} section="catalogue">
        <h1>{Html.escapeHtml(code ? fill(ctx.t.officeTitle, { code }) : ctx.t.newOffice)}</h1>
        <RecordForm ctx={ctx} action={code ? `/uffici/catalogo/uffici/${code}` : '/uffici/catalogo/uffici/nuovo'} fields={officeFields(ctx.t, !code)} values={values} errors={errors} submit={ctx.t.save} />
      </Page>
    ));
  app.get('/catalogo/uffici/nuovo', async (request, reply) => {
    assertAllowed(canCreateOffices(user(request)), 'creare uffici');
    return officePage(request, reply, 200, undefined, {}, []);
  });
  app.get<{ Params: { code: string } }>('/catalogo/uffici/:code', async (request, reply) => {
    const office = await findOfficeByCode(db, request.params.code);
    if (!office) throw new DomainError('not-found', `Ufficio "${request.params.code}" non trovato.`);
    assertAllowed(canEditOffice(user(request), office.id), 'modificare l\'ufficio');
    return officePage(request, reply, 200, office.code, {
      code: office.code, name: office.name, address: office.address, phone: office.phone ?? '', email: office.email ?? '', pec: office.pec ?? '', openingHours: office.opening_hours ?? '',
    }, []);
  });
  const postOffice = async (request: FastifyRequest, reply: FastifyReply, existing?: string) => {
    const values = valuesOf(request.body, officeFields(kit.text(request), !existing));
    try {
      const code = await saveOffice(deps, actorOf(user(request)), user(request), values as never, existing);
      return kit.redirect(reply, '/uffici/catalogo', { kind: 'success', text: fill(kit.text(request).officeSaved, { code }) });
    } catch (error) {
      if (!isFormError(error)) throw error;
      return officePage(request, reply, 422, existing, { ...values, ...(existing ? { code: existing } : {}) }, formErrors(error));
    }
  };
  app.post('/catalogo/uffici/nuovo', { preHandler: app.csrfProtection }, async (request, reply) => postOffice(request, reply));
  app.post<{ Params: { code: string } }>('/catalogo/uffici/:code', { preHandler: app.csrfProtection }, async (request, reply) => postOffice(request, reply, request.params.code));

  // --- staff -------------------------------------------------------------------------------------
  const staffFields = async (t: BackofficeText, me: StaffUser): Promise<FieldSpec[]> => {
    const offices = await listOffices(db, scopeOf(me));
    return [
      { name: 'name', label: t.fullName, required: true },
      { name: 'email', label: t.email, kind: 'email', required: true },
      { name: 'phone', label: t.phone },
      { name: 'role', label: t.role, kind: 'select', required: true, options: [
        ...(me.role === 'admin' ? [{ value: 'admin', label: roleLabel(t, 'admin') }] : []),
        { value: 'office-manager', label: roleLabel(t, 'office-manager') }, { value: 'case-officer', label: roleLabel(t, 'case-officer') },
      ] },
      { name: 'officeCode', label: t.office, kind: 'select', options: [{ value: '', label: '—' }, ...offices.map((o) => ({ value: o.code, label: `${o.code} — ${o.name}` }))] },
      { name: 'active', label: t.userActive, kind: 'checkbox' },
    ];
  };
  const staffPage = async (request: FastifyRequest, reply: FastifyReply, status: number, id: string | undefined, values: Record<string, string>, errors: Errors, lockedUntil?: Date, temporary?: { email: string; password: string }) => {
    const fields = await staffFields(kit.text(request), user(request));
    return kit.render(request, reply, status, (ctx) => (
      <Page ctx={ctx} title={id ? ctx.t.user : ctx.t.newUser} section="catalogue">
        <h1>{Html.escapeHtml(id ? ctx.t.user : ctx.t.newUser)}</h1>
        {id ? '' : <p>{Html.escapeHtml(ctx.t.initialPasswordNote)}</p>}
        {id && lockedUntil ? (
          <div class="alert alert-warning" role="status">
            <p safe>{fill(ctx.t.userLocked, { time: italianDayAndTime(lockedUntil) })}</p>
            <form method="post" action={`/uffici/catalogo/personale/${id}/sblocca`}>
              <CsrfField ctx={ctx} />
              <button type="submit" class="btn btn-sm btn-primary">{Html.escapeHtml(ctx.t.unlockUser)}</button>
            </form>
          </div>
        ) : ''}
        {temporary ? (
          <div class="alert alert-success" role="status">
            <p safe>{fill(ctx.t.temporaryPasswordIssued, { email: temporary.email })}</p>
            <p class="font-monospace mb-0" safe>{temporary.password}</p>
          </div>
        ) : ''}
        <RecordForm ctx={ctx} action={id ? `/uffici/catalogo/personale/${id}` : '/uffici/catalogo/personale/nuovo'} fields={fields} values={values} errors={errors} submit={ctx.t.save} />
        {id ? (
          <section class="mt-4" aria-labelledby="h-access">
            <h2 class="h4" id="h-access">{Html.escapeHtml(ctx.t.accountActions)}</h2>
            {values.active === 'yes' ? (
              <>
                <form method="post" action={`/uffici/catalogo/personale/${id}/invia-link`} class="mb-3">
                  <CsrfField ctx={ctx} />
                  <p class="small mb-1" safe>{fill(ctx.t.sendResetLinkHint, { minutes: RESET_LINK_MINUTES })}</p>
                  <button type="submit" class="btn btn-sm btn-outline-primary">{Html.escapeHtml(ctx.t.sendResetLink)}</button>
                </form>
                {id === ctx.user?.id ? '' : (
                  <>
                    <form method="post" action={`/uffici/catalogo/personale/${id}/password-temporanea`} class="mb-3">
                      <CsrfField ctx={ctx} />
                      <p class="small mb-1">{Html.escapeHtml(ctx.t.temporaryPasswordHint)}</p>
                      <button type="submit" class="btn btn-sm btn-outline-primary">{Html.escapeHtml(ctx.t.temporaryPassword)}</button>
                    </form>
                    <form method="post" action={`/uffici/catalogo/personale/${id}/disattiva`}>
                      <CsrfField ctx={ctx} />
                      <button type="submit" class="btn btn-sm btn-outline-danger">{Html.escapeHtml(ctx.t.deactivateUser)}</button>
                    </form>
                  </>
                )}
              </>
            ) : (
              <form method="post" action={`/uffici/catalogo/personale/${id}/riattiva`}>
                <CsrfField ctx={ctx} />
                <button type="submit" class="btn btn-sm btn-primary">{Html.escapeHtml(ctx.t.reactivateUser)}</button>
              </form>
            )}
          </section>
        ) : ''}
      </Page>
    ));
  };
  app.get('/catalogo/personale/nuovo', async (request, reply) => {
    guard(request);
    return staffPage(request, reply, 200, undefined, { active: 'yes', role: 'case-officer', officeCode: user(request).officeCode ?? '' }, []);
  });
  /** A staff member's id from the address: one that is no UUID names nobody, to read or to save. */
  const staffId = (request: FastifyRequest<{ Params: { id: string } }>): string => {
    if (!isUuid(request.params.id)) throw new DomainError('not-found', 'Utente non trovato.');
    return request.params.id;
  };
  /** The user's page as stored, with what a form just did shown on it. */
  const storedStaffPage = async (request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply, status: number, errors: Errors = [], temporary?: { email: string; password: string }) => {
    const id = staffId(request);
    const row = await findStaffMember(db, id);
    if (!row || !canManageStaff(user(request), { officeId: row.office_id, role: row.role })) throw new DomainError('not-found', 'Utente non trovato.');
    const lockedUntil = row.locked_until && row.locked_until > deps.clock.now() ? row.locked_until : undefined;
    return staffPage(request, reply, status, id, { name: row.name, email: row.email, phone: row.phone ?? '', role: row.role, officeCode: row.code ?? '', active: flag(row.active) }, errors, lockedUntil, temporary);
  };
  app.get<{ Params: { id: string } }>('/catalogo/personale/:id', async (request, reply) => storedStaffPage(request, reply, 200));
  const accountAction = (path: string, act: (request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply) => Promise<FastifyReply>) =>
    app.post<{ Params: { id: string } }>(`/catalogo/personale/:id/${path}`, { preHandler: app.csrfProtection }, async (request, reply) => {
      try {
        return await act(request, reply);
      } catch (error) {
        if (!isFormError(error)) throw error;
        return storedStaffPage(request, reply, 409, formErrors(error));
      }
    });
  for (const [path, active] of [['disattiva', false], ['riattiva', true]] as const) {
    accountAction(path, async (request, reply) => {
      await setStaffActive(deps, actorOf(user(request)), user(request), staffId(request), active);
      const t = kit.text(request);
      return kit.redirect(reply, `/uffici/catalogo/personale/${staffId(request)}`, { kind: 'success', text: active ? t.userReactivated : t.userDeactivated });
    });
  }
  accountAction('invia-link', async (request, reply) => {
    const { sent } = await sendResetLink(deps, actorOf(user(request)), user(request), staffId(request));
    const email = await staffEmail(db, staffId(request));
    const t = kit.text(request);
    return kit.redirect(reply, `/uffici/catalogo/personale/${staffId(request)}`, sent ? { kind: 'success', text: fill(t.resetLinkSent, { email }) } : { kind: 'warning', text: t.resetLinkNotSent });
  });
  // the password is in this answer only: not in a redirect's cookie, not in a log
  accountAction('password-temporanea', async (request, reply) =>
    storedStaffPage(request, reply, 200, [], await issueTemporaryPassword(deps, actorOf(user(request)), user(request), staffId(request))));
  app.post<{ Params: { id: string } }>('/catalogo/personale/:id/sblocca', { preHandler: app.csrfProtection }, async (request, reply) => {
    const id = /^[0-9a-f-]{36}$/.test(request.params.id) ? request.params.id : '00000000-0000-0000-0000-000000000000';
    const t = kit.text(request);
    const { wasLocked } = await unlockStaff(deps, actorOf(user(request)), user(request), id);
    return kit.redirect(reply, `/uffici/catalogo/personale/${id}`, { kind: wasLocked ? 'success' : 'info', text: wasLocked ? t.userUnlocked : t.userNotLocked });
  });
  const postStaff = async (request: FastifyRequest, reply: FastifyReply, id?: string) => {
    const t = kit.text(request);
    const values = valuesOf(request.body, await staffFields(t, user(request)));
    try {
      const saved = await saveStaff(deps, actorOf(user(request)), user(request), {
        name: values.name!, email: values.email!, phone: values.phone!, role: values.role!, officeCode: values.officeCode!, active: yes(values.active),
      }, id);
      return kit.redirect(reply, '/uffici/catalogo', {
        kind: 'success',
        text: saved.password ? fill(t.userCreated, { email: values.email!, password: saved.password }) : t.userSaved,
      });
    } catch (error) {
      if (!isFormError(error)) throw error;
      return staffPage(request, reply, error.code === 'forbidden' ? 403 : 422, id, values, formErrors(error));
    }
  };
  app.post('/catalogo/personale/nuovo', { preHandler: app.csrfProtection }, async (request, reply) => postStaff(request, reply));
  app.post<{ Params: { id: string } }>('/catalogo/personale/:id', { preHandler: app.csrfProtection }, async (request, reply) => postStaff(request, reply, staffId(request)));

  // --- procedures --------------------------------------------------------------------------------
  const procedureFields = async (t: BackofficeText, me: StaffUser, creating: boolean): Promise<FieldSpec[]> => {
    const scope = scopeOf(me);
    const offices = await listOffices(db, scope);
    const staff = await listAssignableStaff(db, scope);
    return [
      { name: 'code', label: t.code, required: true, readonly: !creating },
      { name: 'name', label: t.procedureName, required: true },
      { name: 'officeCode', label: t.competentOffice, kind: 'select', required: true, hint: t.competentOfficeHint, options: offices.map((o) => ({ value: o.code, label: `${o.code} — ${o.name}` })) },
      { name: 'responsibleEmail', label: t.responsible, kind: 'select', required: true, options: staff.map((s) => ({ value: s.email, label: `${s.name} (${s.email})` })) },
      { name: 'termText', label: t.termText, required: true, hint: t.termHint },
      { name: 'saturdayWorking', label: t.saturdayWorking, kind: 'checkbox' },
      { name: 'saturdayMovesDeadline', label: t.saturdayMovesDeadline, kind: 'checkbox' },
      { name: 'silenzioAssenso', label: t.silenzioAssenso, kind: 'checkbox' },
      { name: 'businessActivity', label: t.businessActivity, kind: 'checkbox', hint: t.businessActivityHint },
      { name: 'description', label: t.description, kind: 'textarea' },
      { name: 'legalBasis', label: t.legalReferences, kind: 'textarea' },
      { name: 'substituteName', label: t.substituteName },
      { name: 'substituteContact', label: t.substituteContact },
      { name: 'active', label: t.procedureActive, kind: 'checkbox' },
    ];
  };
  const procedurePage = async (request: FastifyRequest, reply: FastifyReply, status: number, code: string | undefined, values: Record<string, string>, errors: Errors) => {
    const fields = await procedureFields(kit.text(request), user(request), !code);
    let preview: DeadlineResult | null = null;
    try {
      if (values.termText) {
        preview = await previewProcedureDeadline(db, { termText: values.termText, saturdayWorking: yes(values.saturdayWorking), saturdayMovesDeadline: yes(values.saturdayMovesDeadline) }, deps.clock.today());
      }
    } catch (error) {
      if (!isFormError(error)) throw error;
      if (!errors.length) errors = formErrors(error).map((e) => ({ ...e, field: 'termText' }));
    }
    return kit.render(request, reply, status, (ctx) => (
      <Page ctx={ctx} title={code ? fill(ctx.t.procedureTitle, { code }) : ctx.t.newProcedure} section="catalogue">
        <h1>{Html.escapeHtml(code ? fill(ctx.t.procedureTitle, { code }) : ctx.t.newProcedure)}</h1>
        <RecordForm ctx={ctx} action={code ? `/uffici/catalogo/procedimenti/${code}` : '/uffici/catalogo/procedimenti/nuovo'} fields={fields} values={values} errors={errors} submit={ctx.t.save}
          extra={
            <section class="callout note mb-3" aria-labelledby="h-term-preview">
              <h2 class="h5" id="h-term-preview">{Html.escapeHtml(ctx.t.termPreview)}</h2>
              {preview
                ? <p safe>{fill(ctx.t.termPreviewText, { today: formatItalianDate(ctx.today), deadline: preview.deadline ? formatItalianDate(preview.deadline) : '—', steps: preview.steps.map((s) => s.text).join('. ') })}</p>
                : <p>{Html.escapeHtml(values.termText ? ctx.t.termPreviewNone : ctx.t.termPreviewEmpty)}</p>}
              <button type="submit" class="btn btn-sm btn-outline-primary" name="action" value="preview">{Html.escapeHtml(ctx.t.refreshPreview)}</button>
            </section>
          }
        />
      </Page>
    ));
  };
  app.get('/catalogo/procedimenti/nuovo', async (request, reply) => {
    guard(request);
    return procedurePage(request, reply, 200, undefined, { active: 'yes', officeCode: user(request).officeCode ?? '' }, []);
  });
  app.get<{ Params: { code: string } }>('/catalogo/procedimenti/:code', async (request, reply) => {
    const p = await findProcedureForm(db, request.params.code);
    if (!p || !canManageProcedures(user(request), p.office_id)) throw new DomainError('not-found', `Procedimento "${request.params.code}" non trovato.`);
    return procedurePage(request, reply, 200, p.code, {
      code: p.code, name: p.name, officeCode: p.office_code, responsibleEmail: p.responsible_email, termText: p.term_text,
      saturdayWorking: flag(p.saturday_working), saturdayMovesDeadline: flag(p.saturday_moves_deadline), silenzioAssenso: flag(p.silenzio_assenso), businessActivity: flag(p.business_activity),
      description: p.description, legalBasis: p.legal_basis, substituteName: p.substitute_name, substituteContact: p.substitute_contact, active: flag(p.active),
    }, []);
  });
  const postProcedure = async (request: FastifyRequest, reply: FastifyReply, existing?: string) => {
    const values = valuesOf(request.body, await procedureFields(kit.text(request), user(request), !existing));
    if (existing) values.code = existing;
    if (readForm(ActionForm, request.body).action === 'preview') return procedurePage(request, reply, 200, existing, values, []);
    try {
      const code = await saveProcedure(deps, actorOf(user(request)), user(request), {
        code: values.code!, officeCode: values.officeCode!, responsibleEmail: values.responsibleEmail!, name: values.name!, description: values.description,
        legalBasis: values.legalBasis, termText: values.termText!, saturdayWorking: yes(values.saturdayWorking), saturdayMovesDeadline: yes(values.saturdayMovesDeadline),
        silenzioAssenso: yes(values.silenzioAssenso), businessActivity: yes(values.businessActivity), substituteName: values.substituteName, substituteContact: values.substituteContact, active: yes(values.active),
      }, existing);
      return kit.redirect(reply, '/uffici/catalogo', { kind: 'success', text: fill(kit.text(request).procedureSaved, { code }) });
    } catch (error) {
      if (!isFormError(error)) throw error;
      return procedurePage(request, reply, error.code === 'forbidden' ? 403 : 422, existing, values, formErrors(error).map((e) => (!e.field && error.code === 'invalid-term' ? { ...e, field: 'termText' } : e)));
    }
  };
  app.post('/catalogo/procedimenti/nuovo', { preHandler: app.csrfProtection }, async (request, reply) => postProcedure(request, reply));
  app.post<{ Params: { code: string } }>('/catalogo/procedimenti/:code', { preHandler: app.csrfProtection }, async (request, reply) => postProcedure(request, reply, request.params.code));

  // --- holiday calendar --------------------------------------------------------------------------
  /** The calendar of a year, with the form to add a local day (as typed, when it was refused). */
  const calendarPage = async (request: FastifyRequest, reply: FastifyReply, status: number, year: number, values: Record<string, string> = {}, errors: Errors = []) => {
    const locals = await listLocalDays(db);
    return kit.render(request, reply, status, (ctx) => (
      <Page ctx={ctx} title={ctx.t.calendar} section="catalogue">
        <h1 safe>{`${ctx.t.calendar} ${year}`}</h1>
        <p>
          <a href={`/uffici/catalogo/calendario?anno=${year - 1}`}>{Html.escapeHtml(String(year - 1))}</a> · <a href={`/uffici/catalogo/calendario?anno=${year + 1}`}>{Html.escapeHtml(String(year + 1))}</a>
        </p>
        <div class="row">
          <section class="col-lg-6" aria-labelledby="h-national">
            <h2 class="h4" id="h-national">{Html.escapeHtml(ctx.t.nationalHolidays)}</h2>
            <p class="small">{Html.escapeHtml(ctx.t.nationalHolidaysHint)}</p>
            <ul>
              {nationalHolidaysOfYear(year).map((h) => <li safe>{`${formatItalianDate(h.date)} — ${h.name}`}</li>)}
            </ul>
          </section>
          <section class="col-lg-6" aria-labelledby="h-local">
            <h2 class="h4" id="h-local">{Html.escapeHtml(ctx.t.localDays)}</h2>
            <p class="small">{Html.escapeHtml(ctx.t.localDaysHint)}</p>
            <ul class="list-unstyled">
              {locals.map((l) => (
                <li class="d-flex align-items-center gap-2 mb-2">
                  <span safe>{`${String(l.day).padStart(2, '0')}/${String(l.month).padStart(2, '0')} — ${l.name}`}</span>
                  <form method="post" action={`/uffici/catalogo/calendario/${l.id}/elimina`} class="m-0">
                    <CsrfField ctx={ctx} />
                    <button type="submit" class="btn btn-xs btn-outline-danger" aria-label={attributeText(fill(ctx.t.removeNamed, { name: l.name }))}>{Html.escapeHtml(ctx.t.remove)}</button>
                  </form>
                </li>
              ))}
            </ul>
            <h3 class="h5">{Html.escapeHtml(ctx.t.addDay)}</h3>
            <form method="post" action="/uffici/catalogo/calendario" novalidate>
              <CsrfField ctx={ctx} />
              <ErrorSummary errors={inFormOrder(errors, ['day', 'month', 'name'])} t={ctx.t} />
              <div class="row">
                <div class="col-4"><Field id="day" label={ctx.t.day} required inputmode="numeric" maxlength={2} value={values.day} error={errorFor(errors, 'day')} /></div>
                <div class="col-4"><Field id="month" label={ctx.t.month} required inputmode="numeric" maxlength={2} value={values.month} error={errorFor(errors, 'month')} /></div>
              </div>
              <Field id="name" label={ctx.t.name} required maxlength={200} value={values.name} error={errorFor(errors, 'name')} />
              <button type="submit" class="btn btn-primary">{Html.escapeHtml(ctx.t.add)}</button>
            </form>
          </section>
        </div>
      </Page>
    ));
  };
  app.get('/catalogo/calendario', async (request, reply) => {
    assertAllowed(canManageCalendar(user(request)), 'modificare il calendario');
    const yearText = readForm(CalendarQuery, request.query).anno;
    const year = /^\d{4}$/.test(yearText) && Number(yearText) >= 1977 && Number(yearText) <= 2200 ? Number(yearText) : Number(deps.clock.today().slice(0, 4));
    return calendarPage(request, reply, 200, year);
  });
  app.post('/catalogo/calendario', { preHandler: app.csrfProtection }, async (request, reply) => {
    const values = readForm(DayForm, request.body);
    try {
      // a blank number is no number: Number('') would read it as 0
      const number = (text: string) => (text.trim() === '' ? Number.NaN : Number(text));
      await addLocalDay(deps, actorOf(user(request)), user(request), { day: number(values.day), month: number(values.month), name: values.name });
      return kit.redirect(reply, '/uffici/catalogo/calendario', { kind: 'success', text: kit.text(request).dayAdded });
    } catch (error) {
      if (!isFormError(error)) throw error;
      return calendarPage(request, reply, error.code === 'conflict' ? 409 : 422, Number(deps.clock.today().slice(0, 4)), values, formErrors(error));
    }
  });
  app.post<{ Params: { id: string } }>('/catalogo/calendario/:id/elimina', { preHandler: app.csrfProtection }, async (request, reply) => {
    if (!isUuid(request.params.id)) throw new DomainError('not-found', 'Giorno non trovato.');
    await removeLocalDay(deps, actorOf(user(request)), user(request), request.params.id);
    return kit.redirect(reply, '/uffici/catalogo/calendario', { kind: 'success', text: kit.text(request).dayRemoved });
  });

  // --- message templates (the notifications module's use cases) -----------------------------------
  app.get('/catalogo/modelli', async (request, reply) => {
    assertAllowed(canManageTemplates(user(request)), 'modificare i testi dei messaggi');
    const templates = await listTemplates(db);
    return kit.render(request, reply, 200, (ctx) => (
      <Page ctx={ctx} title={ctx.t.templates} section="catalogue">
        <h1>{Html.escapeHtml(ctx.t.templates)}</h1>
        <ul>
          {templates.map((tp) => (
            <li>
              <a href={`/uffici/catalogo/modelli/${tp.kind}/${tp.channel}`} safe>{`${KIND_LABELS[tp.kind]} — ${CHANNEL_LABELS[tp.channel]}`}</a>
              <span>{Html.escapeHtml(tp.custom ? fill(ctx.t.customizedBy, { by: tp.updatedBy ?? '—' }) : ctx.t.defaultText)}</span>
            </li>
          ))}
        </ul>
      </Page>
    ));
  });
  const templatePage = async (request: FastifyRequest, reply: FastifyReply, status: number, kindText: string, channelText: string, edited?: { subject: string; body: string }, errors: Errors = []) => {
    assertAllowed(canManageTemplates(user(request)), 'modificare i testi dei messaggi');
    const { kind, channel } = checkKindAndChannel(kindText, channelText);
    const current = await getTemplate(db, kind, channel);
    const text = edited ?? { subject: current.subject, body: current.body };
    let preview: Preview | undefined;
    try {
      preview = previewTemplate(kind, channel, text, deps.publicBaseUrl);
    } catch (error) {
      errors = [...errors, { text: (error as Error).message }];
    }
    const variables = Object.entries(VARIABLES).filter(([, spec]) => channel === 'email' || !('emailOnly' in spec && spec.emailOnly));
    return kit.render(request, reply, status, (ctx) => (
      <Page ctx={ctx} title={ctx.t.templates} section="catalogue">
        <h1 safe>{`${KIND_LABELS[kind]} — ${CHANNEL_LABELS[channel]}`}</h1>
        <form method="post" action={`/uffici/catalogo/modelli/${kind}/${channel}`} novalidate>
          <CsrfField ctx={ctx} />
          <ErrorSummary errors={inFormOrder(errors, ['subject', 'body'])} t={ctx.t} />
          {channel === 'sms' ? '' : <Field id="subject" label={ctx.t.subject} value={text.subject} maxlength={300} required error={errorFor(errors, 'subject')} />}
          <TextArea id="body" label={ctx.t.body} value={text.body} rows={14} required error={errorFor(errors, 'body')} />
          <div class="d-flex gap-2 flex-wrap mb-3">
            <button type="submit" class="btn btn-outline-primary" name="action" value="preview">{Html.escapeHtml(ctx.t.preview)}</button>
            <button type="submit" class="btn btn-primary" name="action" value="save">{Html.escapeHtml(ctx.t.save)}</button>
            <button type="submit" class="btn btn-outline-danger" name="action" value="reset">{Html.escapeHtml(ctx.t.resetTemplate)}</button>
          </div>
        </form>
        {preview ? (
          <section class="callout note" aria-labelledby="h-tpl-preview">
            <h2 class="h5" id="h-tpl-preview">{Html.escapeHtml(ctx.t.samplePreview)}</h2>
            {[...preview.problems.map((p) => p.text), ...preview.warnings].map((w) => <p class="text-danger-emphasis" safe>{w}</p>)}
            {preview.email ? <><p class="fw-semibold" safe>{preview.email.subject}</p><pre class="message-preview" safe>{preview.email.text}</pre></> : ''}
            {preview.sms ? <><pre class="message-preview" safe>{preview.sms.text}</pre><p safe>{`${preview.sms.analysis.segments} SMS, ${preview.sms.analysis.encoding}`}</p></> : ''}
          </section>
        ) : ''}
        <h2 class="h5 mt-4">{Html.escapeHtml(ctx.t.variables)}</h2>
        <ul class="small">
          {variables.map(([name, spec]) => <li><code safe>{`{{${name}}}`}</code> <span safe>{` — ${spec.description}`}</span></li>)}
        </ul>
      </Page>
    ));
  };
  app.get<{ Params: { kind: string; channel: string } }>('/catalogo/modelli/:kind/:channel', async (request, reply) =>
    templatePage(request, reply, 200, request.params.kind, request.params.channel),
  );
  app.post<{ Params: { kind: string; channel: string } }>('/catalogo/modelli/:kind/:channel', { preHandler: app.csrfProtection }, async (request, reply) => {
    assertAllowed(canManageTemplates(user(request)), 'modificare i testi dei messaggi');
    const { kind, channel } = checkKindAndChannel(request.params.kind, request.params.channel);
    const { subject, body, action } = readForm(TemplateForm, request.body);
    const edited = { subject, body };
    if (action === 'preview') return templatePage(request, reply, 200, kind, channel, edited);
    try {
      if (action === 'reset') await resetTemplate(db, actorOf(user(request)), kind, channel);
      else await saveTemplate(db, actorOf(user(request)), kind, channel, edited, deps.publicBaseUrl);
      return kit.redirect(reply, `/uffici/catalogo/modelli/${kind}/${channel}`, { kind: 'success', text: action === 'reset' ? kit.text(request).templateReset : kit.text(request).templateSaved });
    } catch (error) {
      if (!isFormError(error)) throw error;
      return templatePage(request, reply, 422, kind, channel, edited, formErrors(error));
    }
  });
}
