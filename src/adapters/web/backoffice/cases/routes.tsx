/**
 * The back office's case routes: dashboard, list, enrolment, the case page and the forms posted from it. Each route
 * reads its form, calls a use case and renders a view; the pages are in this folder's view modules.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { actorOf } from '../../../../application/backoffice/auth.ts';
import type { StaffUser } from '../../../../application/backoffice/auth.ts';
import { acknowledgeOptOut, optOutNoteOf, recordOptOut, updateContacts, updateFiscalIdentifiers } from '../../../../application/backoffice/case-admin.ts';
import { searchCases } from '../../../../application/backoffice/case-search.ts';
import { loadDashboard } from '../../../../application/backoffice/dashboard.ts';
import { previewEnrolmentDeadline, previewEvent } from '../../../../application/backoffice/previews.ts';
import { checkEnrolment, enrolCase, getCaseView, recordEvent } from '../../../../application/cases.ts';
import { listOffices, listProcedures } from '../../../../application/catalogue.ts';
import { FormAlreadySent } from '../../../../application/form-tokens.ts';
import { recordIndemnityPayment } from '../../../../application/indemnity.ts';
import { resendCredentials } from '../../../../application/notifications.ts';
import { normalizeCaseCode } from '../../../../domain/case/codes.ts';
import { chosenChannels, ioOffered } from '../../../../domain/case/contacts.ts';
import { EVENT_LABELS } from '../../../../domain/case/states.ts';
import type { EventType } from '../../../../domain/case/states.ts';
import { euroText } from '../../../../domain/deadline/index.ts';
import type { DeadlineResult } from '../../../../domain/deadline/index.ts';
import { Checks, DomainError } from '../../../../domain/errors.ts';
import type { FieldProblem } from '../../../../domain/errors.ts';
import { CHANNEL_LABELS } from '../../../../domain/notification/index.ts';
import { scopeOf } from '../../../../domain/policy.ts';
import { problem } from '../../problems.ts';
import { enrolmentValuesOf, requestForEnrolment } from '../adhesion-requests.tsx';
import { formErrors, inFormOrder, isFormError, readForm } from '../forms.ts';
import type { BackofficeKit } from '../kit.ts';
import { fill } from '../text.ts';
import { contactsPage } from './contacts.tsx';
import { dashboardPage } from './dashboard.tsx';
import { loadCaseDetail } from './detail-model.ts';
import { casePage } from './detail.tsx';
import { enrolPage } from './enrolment.tsx';
import type { EventFormState, OptOutFormState, PaymentFormState } from './event-forms.tsx';
import { fiscalCodePage } from './fiscal-code.tsx';
import { CaseListQuery, ContactsForm, ENROL_FIELDS, EnrolForm, CaseEventForm, FiscalForm, NewCaseQuery, OptOutForm, PaymentForm, caseSearchOf, commandOf, contactsOf, enrolValues, enrolmentOf, eventValues, fiscalInput, paymentOf, versionOf } from './forms.ts';
import type { ContactsValues, EnrolValues, FiscalValues } from './forms.ts';
import { caseListPage } from './list.tsx';
import { CHOOSABLE, date } from './shared.tsx';

function caseCodeParam(request: FastifyRequest): string {
  const raw = (request.params as { code?: string }).code ?? '';
  const code = normalizeCaseCode(raw);
  if (!code) throw new DomainError('not-found', `Pratica ${raw} non trovata: il codice ha la forma FC-XXXX-XXXX.`);
  return code;
}

export async function caseRoutes(app: FastifyInstance, kit: BackofficeKit): Promise<void> {
  const { deps } = kit;
  const caseDeps = { db: deps.db, clock: deps.clock, credentialsKeys: deps.credentialsKeys, io: deps.io, calendar: deps.calendar };
  const user = (request: FastifyRequest): StaffUser => request.staff!;

  // --- dashboard ---------------------------------------------------------------------------------
  app.get('/', async (request, reply) => {
    const d = await loadDashboard(caseDeps, scopeOf(user(request)));
    return kit.render(request, reply, 200, (ctx) => dashboardPage(ctx, d));
  });

  // --- case list ---------------------------------------------------------------------------------
  app.get('/pratiche', async (request, reply) => {
    const scope = scopeOf(user(request));
    const query = readForm(CaseListQuery, request.query);
    const { search, params } = caseSearchOf(query, !!scope);
    const [page, procedures, offices] = await Promise.all([
      searchCases(caseDeps, scope, search),
      listProcedures(deps.db, scope),
      scope ? Promise.resolve([]) : listOffices(deps.db, null),
    ]);
    const nextHref = page.nextCursor ? `/uffici/pratiche?${new URLSearchParams([...params, ['cursor', page.nextCursor]]).toString()}` : undefined;
    return kit.render(request, reply, 200, (ctx) => caseListPage(ctx, { search, stateText: query.state, dueText: query.due, page, procedures, offices, scoped: !!scope, params, nextHref }));
  });

  // --- enrolment ---------------------------------------------------------------------------------
  const renderEnrolment = async (request: FastifyRequest, reply: FastifyReply, status: number, values: EnrolValues, errors: FieldProblem[], preview?: DeadlineResult) => {
    const procedures = await listProcedures(deps.db, scopeOf(user(request)));
    // App IO only where the procedure's office has a key: named when some offices in reach have none
    const ioOffices = [...new Set(procedures.filter((p) => ioOffered(deps.io, p.office_code)).map((p) => p.office_code))];
    const ioEverywhere = procedures.every((p) => ioOffered(deps.io, p.office_code));
    const channels = CHOOSABLE.filter((c) => c !== 'io' || ioOffices.length > 0);
    return kit.render(request, reply, status, (ctx) => enrolPage(ctx, { values, errors, preview, procedures, channels, ioOffices, ioEverywhere }));
  };

  app.get('/pratiche/nuova', async (request, reply) => {
    const fromRequest = await requestForEnrolment(kit, request);
    return renderEnrolment(request, reply, 200, enrolValues(readForm(EnrolForm, fromRequest ? enrolmentValuesOf(fromRequest) : { procedureCode: readForm(NewCaseQuery, request.query).procedimento }), deps.clock.today()), []);
  });

  app.post('/pratiche/nuova', { preHandler: app.csrfProtection }, async (request, reply) => {
    const me = user(request);
    const form = readForm(EnrolForm, request.body);
    const values = enrolValues(form, deps.clock.today());
    const enrolment = enrolmentOf(values);
    const errors: FieldProblem[] = [];
    let preview: DeadlineResult | undefined;
    if (values.procedureCode) {
      try {
        preview = await previewEnrolmentDeadline({ ...caseDeps, publicBaseUrl: deps.publicBaseUrl }, scopeOf(me), values.procedureCode, values.receivedOn);
      } catch (error) {
        if (!isFormError(error) && !(error instanceof DomainError && error.code === 'not-found')) throw error;
        errors.push(...formErrors(error).map((e) => ({ ...e, field: e.field ?? 'procedureCode' })));
      }
    }
    if (form.action !== 'save') return renderEnrolment(request, reply, errors.length ? 422 : 200, values, errors, preview);
    // every field checked before anything is refused: the form lists all that is wrong at once
    try {
      checkEnrolment({ ...values, channels: enrolment.channels }, deps.clock.today());
    } catch (error) {
      if (!isFormError(error)) throw error;
      for (const e of formErrors(error)) if (!errors.some((seen) => seen.field === e.field && seen.text === e.text)) errors.push(e);
    }
    // GDPR art. 13: the notice must have been given where the contacts are collected
    if (!values.privacy) errors.push({ field: 'privacy', text: kit.text(request).privacyUnconfirmed });
    if (errors.length) return renderEnrolment(request, reply, 422, values, inFormOrder(errors, ENROL_FIELDS), preview);
    try {
      const enrolled = await enrolCase(caseDeps, actorOf(me), enrolment);
      // the password is shown in this one response and never stored in clear: no redirect carries it
      return renderCase(request, reply, 201, enrolled.code, {}, {
        kind: 'success', text: `${kit.text(request).enrolled} ${enrolled.code}`, credentials: enrolled,
      });
    } catch (error) {
      // a reload of the result or a second click: the case exists, and its password was shown once already
      if (error instanceof FormAlreadySent) {
        return kit.redirect(reply, `/uffici/pratiche/${error.result}`, { kind: 'info', text: fill(kit.text(request).alreadyEnrolled, { code: error.result }) });
      }
      if (!isFormError(error) && !(error instanceof DomainError && error.code === 'not-found')) throw error;
      return renderEnrolment(request, reply, 422, values, formErrors(error), preview);
    }
  });

  // --- case detail -------------------------------------------------------------------------------
  const renderCase = async (
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    code: string,
    forms: { formState?: EventFormState | OptOutFormState; payment?: PaymentFormState } = {},
    flash?: Parameters<BackofficeKit['render']>[4],
  ) => {
    const model = await loadCaseDetail(caseDeps, user(request), code, forms);
    return kit.render(request, reply, status, (ctx) => casePage(ctx, model), flash);
  };

  app.get('/pratiche/:code', async (request, reply) => renderCase(request, reply, 200, caseCodeParam(request)));

  app.post('/pratiche/:code/evento', { preHandler: app.csrfProtection }, async (request, reply) => {
    const me = user(request);
    const code = caseCodeParam(request);
    const form = readForm(CaseEventForm, request.body);
    const state: EventFormState = { type: form.type as EventType, values: eventValues(form), errors: [] };
    try {
      const command = commandOf(form, deps.clock.today());
      if (form.action === 'preview') {
        state.preview = await previewEvent({ ...caseDeps, publicBaseUrl: deps.publicBaseUrl }, scopeOf(me), code, command);
        return renderCase(request, reply, 200, code, { formState: state });
      }
      const recorded = await recordEvent(caseDeps, actorOf(me), code, command, { expectedVersion: versionOf(form) });
      const t = kit.text(request);
      const past = command.effectiveOn < deps.clock.today();
      return kit.redirect(reply, `/uffici/pratiche/${recorded.code}`, {
        kind: past ? 'warning' : 'success',
        text: `${fill(t.recorded, { event: EVENT_LABELS[command.type] })}${past ? ` ${fill(t.pastDateWarning, { date: date(command.effectiveOn) })}` : ''}`,
      });
    } catch (error) {
      if (!isFormError(error)) throw error;
      state.errors = formErrors(error);
      state.conflict = error.code === 'conflict';
      return renderCase(request, reply, problem(error.code, '').status, code, { formState: state });
    }
  });

  app.post('/pratiche/:code/indennizzo', { preHandler: app.csrfProtection }, async (request, reply) => {
    const code = caseCodeParam(request);
    const values = readForm(PaymentForm, request.body);
    try {
      const { amountCents, paidOn } = paymentOf(values);
      await recordIndemnityPayment(caseDeps, actorOf(user(request)), code, { amountCents, paidOn });
      return kit.redirect(reply, `/uffici/pratiche/${code}#indennizzo`, { kind: 'success', text: fill(kit.text(request).indemnityRecorded, { amount: euroText(amountCents) }) });
    } catch (error) {
      if (!isFormError(error)) throw error;
      return renderCase(request, reply, problem(error.code, '').status, code, { payment: { values, errors: formErrors(error) } });
    }
  });

  // the form is its button and its CSRF token (checked before the route runs): no field to read
  app.post('/pratiche/:code/credenziali', { preHandler: app.csrfProtection }, async (request, reply) => {
    const code = caseCodeParam(request);
    const t = kit.text(request);
    try {
      const sent = await resendCredentials(caseDeps, actorOf(user(request)), code);
      return kit.redirect(reply, `/uffici/pratiche/${code}#messaggi`, {
        kind: sent.length ? 'success' : 'warning',
        text: sent.length ? `${t.resent} (${sent.map((s) => `${CHANNEL_LABELS[s.channel]} ${s.recipient}`).join(', ')})` : t.noNotifications,
      });
    } catch (error) {
      if (!isFormError(error)) throw error;
      return kit.redirect(reply, `/uffici/pratiche/${code}`, { kind: 'danger', text: error.message });
    }
  });

  // --- contacts ----------------------------------------------------------------------------------
  const renderContacts = async (request: FastifyRequest, reply: FastifyReply, status: number, values?: ContactsValues, errors: FieldProblem[] = []) => {
    const view = await getCaseView(caseDeps, scopeOf(user(request)), caseCodeParam(request));
    const c = view.case;
    const v = values ?? { mobile: c.mobile ?? '', email: c.email ?? '', channels: chosenChannels({ notifyEmail: c.notify_email, notifySms: c.notify_sms, notifyIo: c.notify_io }), version: String(c.version) };
    // App IO chosen before the office lost its key stays, shown as inactive: it can be kept or removed, not chosen anew
    const ioHere = ioOffered(deps.io, view.office.code);
    const channels = CHOOSABLE.filter((ch) => ch !== 'io' || ioHere || c.notify_io);
    return kit.render(request, reply, status, (ctx) => contactsPage(ctx, { case: c, values: v, errors, channels, ioHere }));
  };

  app.get('/pratiche/:code/recapiti', async (request, reply) => renderContacts(request, reply, 200));

  app.post('/pratiche/:code/recapiti', { preHandler: app.csrfProtection }, async (request, reply) => {
    const code = caseCodeParam(request);
    const values = readForm(ContactsForm, request.body);
    try {
      await updateContacts(caseDeps, actorOf(user(request)), code, contactsOf(values), versionOf(values));
      return kit.redirect(reply, `/uffici/pratiche/${code}`, { kind: 'success', text: kit.text(request).contactsSaved });
    } catch (error) {
      if (!isFormError(error)) throw error;
      return renderContacts(request, reply, error.code === 'conflict' ? 409 : 422, values, formErrors(error));
    }
  });

  // --- fiscal code and VAT number -----------------------------------------------------------------
  const renderFiscalCode = async (request: FastifyRequest, reply: FastifyReply, status: number, values?: FiscalValues & { version: string }, errors: FieldProblem[] = []) => {
    const view = await getCaseView(caseDeps, scopeOf(user(request)), caseCodeParam(request));
    const c = view.case;
    const v = values ?? {
      applicantFiscalCode: c.applicant_fiscal_code ?? '', applicantVatNumber: c.applicant_vat_number ?? '',
      legalRepresentativeFiscalCode: c.legal_representative_fiscal_code ?? '', version: String(c.version),
    };
    return kit.render(request, reply, status, (ctx) => fiscalCodePage(ctx, { case: c, values: v, errors }));
  };

  app.get('/pratiche/:code/codice-fiscale', async (request, reply) => renderFiscalCode(request, reply, 200));

  app.post('/pratiche/:code/codice-fiscale', { preHandler: app.csrfProtection }, async (request, reply) => {
    const code = caseCodeParam(request);
    const values = readForm(FiscalForm, request.body);
    try {
      await updateFiscalIdentifiers(caseDeps, actorOf(user(request)), code, fiscalInput(values), versionOf(values));
      return kit.redirect(reply, `/uffici/pratiche/${code}`, { kind: 'success', text: kit.text(request).fiscalSaved });
    } catch (error) {
      if (!isFormError(error)) throw error;
      return renderFiscalCode(request, reply, error.code === 'conflict' ? 409 : 422, values, formErrors(error));
    }
  });

  // --- opt-out -----------------------------------------------------------------------------------
  app.post('/pratiche/:code/rinuncia', { preHandler: app.csrfProtection }, async (request, reply) => {
    const code = caseCodeParam(request);
    const t = kit.text(request);
    const form = readForm(OptOutForm, request.body);
    const { note } = form;
    try {
      // the note and the confirmation checked together: the form tells both at once
      const checks = new Checks();
      checks.run(() => optOutNoteOf(note), '');
      if (form.confirm !== 'yes') checks.add(new DomainError('invalid-input', t.optOutUnconfirmed, { field: 'confirm' }));
      checks.done();
      await recordOptOut(caseDeps, actorOf(user(request)), code, note, versionOf(form));
      return kit.redirect(reply, `/uffici/pratiche/${code}`, { kind: 'success', text: t.optOutDone });
    } catch (error) {
      if (!isFormError(error)) throw error;
      const errors = formErrors(error).map((e) => ({ text: e.text, ...(e.field ? { field: `optout-${e.field}` } : {}) }));
      return renderCase(request, reply, problem(error.code, '').status, code, { formState: { type: 'opt-out', values: { note }, errors, conflict: error.code === 'conflict' } });
    }
  });

  app.post('/pratiche/:code/rinuncia/presa-in-carico', { preHandler: app.csrfProtection }, async (request, reply) => {
    const code = caseCodeParam(request);
    await acknowledgeOptOut(caseDeps, actorOf(user(request)), code);
    return kit.redirect(reply, `/uffici/pratiche/${code}`, { kind: 'success', text: kit.text(request).acknowledged });
  });
}
