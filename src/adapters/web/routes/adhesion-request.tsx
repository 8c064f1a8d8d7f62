/**
 * The online adhesion request on a procedure's public card (docs/portal.md): the form, its sending and the
 * confirmation. Thin: the rules are in src/domain/adhesion-request.ts and src/application/adhesion-requests.ts.
 */
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { normalizeIP } from '@fastify/rate-limit';
import Html from '@kitajs/html';
import { loadAdhesionProcedure } from '../../../application/adhesion.ts';
import type { AdhesionProcedure } from '../../../application/adhesion.ts';
import { submitAdhesionRequest } from '../../../application/adhesion-requests.ts';
import type { PageAdministration } from '../../../application/administration.ts';
import { ADHESION_REQUEST_FIELDS } from '../../../domain/adhesion-request.ts';
import { CHANNELS } from '../../../domain/case/contacts.ts';
import type { Channel } from '../../../domain/case/contacts.ts';
import type { FieldProblem } from '../../../domain/errors.ts';
import { secondsUntil } from '../../../domain/portal/throttle.ts';
import { Text, Texts, formErrors, inFormOrder, isFormError, readForm } from '../backoffice/forms.ts';
import { Type } from 'typebox';
import type { AppDeps } from '../deps.ts';
import { waitText } from '../portal/present.ts';
import { reportText } from '../reports/text.ts';
import { Checkbox, Choices, ErrorSummary, Field, errorFor } from '../ui/form.tsx';
import { format } from '../ui/i18n.ts';
import type { Lang } from '../ui/i18n.ts';
import { Layout } from '../ui/layout.tsx';
import { ADHESION_REQUEST_TEXT } from './adhesion-request-text.ts';

/** The form's own fields, as typed: a refused form comes back with them. */
interface Values {
  applicantName: string;
  protocolNumber: string;
  protocolDate: string;
  applicantFiscalCode: string;
  mobile: string;
  email: string;
  channels: string[];
  privacy: boolean;
}

const EMPTY: Values = { applicantName: '', protocolNumber: '', protocolDate: '', applicantFiscalCode: '', mobile: '', email: '', channels: [], privacy: false };

const RequestFields = Type.Object({
  applicantName: Text, protocolNumber: Text, protocolDate: Text, applicantFiscalCode: Text, mobile: Text, email: Text, channels: Texts, privacy: Text,
});

function valuesOf(body: unknown): Values {
  const form = readForm(RequestFields, body);
  return { ...form, privacy: form.privacy === 'yes' };
}

export const adhesionRequestPath = (code: string): string => `/trasparenza/procedimenti/${encodeURIComponent(code)}/adesione`;

function RequestForm(props: { lang: Lang; data: AdhesionProcedure; administration: PageAdministration; csrf: string; values: Values; errors: readonly FieldProblem[] }): JSX.Element {
  const t = ADHESION_REQUEST_TEXT[props.lang];
  const { values, errors, data } = props;
  const err = (field: string) => errorFor(errors, field);
  const channels: Channel[] = ['sms', 'email', ...CHANNELS.filter((c) => c === 'io' && data.ioOffered)];
  const channelLabel: Record<Channel, string> = { sms: t.sms, email: t.emailChannel, io: t.io };
  const privacyUrl = props.administration.privacyNoticeUrl;
  return (
    <>
      <ErrorSummary errors={errors} title={t.errorsTitle} />
      <form method="post" action={adhesionRequestPath(data.procedure.code)} novalidate>
        <input type="hidden" name="_csrf" value={props.csrf} />
        <Field id="applicantName" label={t.applicantName} required value={values.applicantName} maxlength={200} autocomplete="name" error={err('applicantName')} />
        <div class="row">
          <div class="col-md-6">
            <Field id="protocolNumber" label={t.protocolNumber} required value={values.protocolNumber} maxlength={60} hint={t.protocolNumberHint} error={err('protocolNumber')} />
          </div>
          <div class="col-md-6">
            <Field id="protocolDate" label={t.protocolDate} type="date" required value={values.protocolDate} error={err('protocolDate')} />
          </div>
        </div>
        <Field id="applicantFiscalCode" label={t.fiscalCode} value={values.applicantFiscalCode} maxlength={32} autocomplete="off" hint={t.fiscalCodeHint} error={err('applicantFiscalCode')} />
        <fieldset class="mb-3">
          <legend class="h5" safe>{t.contacts}</legend>
          <div class="row">
            <div class="col-md-6">
              <Field id="mobile" label={t.mobile} type="tel" value={values.mobile} maxlength={30} inputmode="tel" autocomplete="tel" error={err('mobile')} />
            </div>
            <div class="col-md-6">
              <Field id="email" label={t.email} type="email" value={values.email} maxlength={254} autocomplete="email" error={err('email')} />
            </div>
          </div>
          <Choices id="channels" name="channels" type="checkbox" safeLegend={Html.escapeHtml(t.channels)} checked={values.channels} error={err('channels')}
            options={channels.map((c) => ({ value: c, id: `channel-${c}`, safeLabel: Html.escapeHtml(channelLabel[c]) }))} />
        </fieldset>
        <div class="callout mb-3">
          <p class="mb-2" safe>{format(t.privacy, { admin: props.administration.name })}</p>
          {privacyUrl ? <p class="mb-2"><a href={privacyUrl} safe>{t.privacyLink}</a></p> : ''}
          <Checkbox id="privacy" label={t.consent} checked={values.privacy} required error={err('privacy')} />
        </div>
        <button type="submit" class="btn btn-primary" safe>{t.send}</button>
      </form>
    </>
  );
}

export function adhesionRequestRoutes(deps: AppDeps): FastifyPluginAsync {
  return async (app: FastifyInstance) => {
    async function page(request: FastifyRequest, reply: FastifyReply, status: number, code: string, values: Values, errors: readonly FieldProblem[]): Promise<FastifyReply> {
      const [data, administration] = await Promise.all([loadAdhesionProcedure(deps.db, null, code, deps.io), deps.frame.administration()]);
      const t = ADHESION_REQUEST_TEXT[request.lang];
      const csrf = await reply.generateCsrf();
      const trail = [
        { href: '/trasparenza/tempi-procedimentali', label: reportText(request.lang).transparencyTitle },
        { href: `/trasparenza/procedimenti/${encodeURIComponent(code)}`, label: format(reportText(request.lang).cardOf, { name: data.procedure.name }) },
      ];
      return reply.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(
        <Layout lang={request.lang} title={t.title} area="portal" administration={administration} path={request.url} demo={!deps.production} trail={trail}>
          <h1 safe>{t.title}</h1>
          <p class="lead" safe>{t.intro}</p>
          <p class="text-muted" safe>{`${data.procedure.code} — ${data.procedure.name} · ${data.office.name}`}</p>
          <RequestForm lang={request.lang} data={data} administration={administration} csrf={csrf} values={values} errors={errors} />
        </Layout>,
      );
    }

    app.get('/procedimenti/:code/adesione', { schema: { hide: true } }, async (request, reply) =>
      page(request, reply, 200, (request.params as { code: string }).code, EMPTY, []));

    app.post('/procedimenti/:code/adesione', { schema: { hide: true }, preHandler: app.csrfProtection }, async (request, reply) => {
      const { code } = request.params as { code: string };
      const values = valuesOf(request.body);
      const channels = values.channels.filter((c): c is Channel => (CHANNELS as readonly string[]).includes(c));
      try {
        const result = await submitAdhesionRequest(deps, code, {
          applicantName: values.applicantName, protocolNumber: values.protocolNumber, protocolDate: values.protocolDate, fiscalCode: values.applicantFiscalCode,
          mobile: values.mobile, email: values.email, channels, consent: values.privacy,
        }, normalizeIP(request.ip, 64));
        if (!result.ok) {
          const seconds = secondsUntil(result.retryAt, deps.clock.now());
          reply.header('retry-after', String(seconds));
          return page(request, reply, 429, code, values, [{ text: format(ADHESION_REQUEST_TEXT[request.lang].throttled, { wait: waitText(request.lang, seconds) }) }]);
        }
        return reply.redirect(`${adhesionRequestPath(code)}/inviata`, 303);
      } catch (error) {
        if (!isFormError(error)) throw error;
        return page(request, reply, 422, code, values, inFormOrder(formErrors(error), ADHESION_REQUEST_FIELDS));
      }
    });

    app.get('/procedimenti/:code/adesione/inviata', { schema: { hide: true } }, async (request, reply) => {
      const { code } = request.params as { code: string };
      const [data, administration] = await Promise.all([loadAdhesionProcedure(deps.db, null, code, deps.io), deps.frame.administration()]);
      const t = ADHESION_REQUEST_TEXT[request.lang];
      return reply.type('text/html; charset=utf-8').send(
        <Layout lang={request.lang} title={t.sentTitle} area="portal" administration={administration} path={request.url} demo={!deps.production}>
          <h1 safe>{t.sentTitle}</h1>
          <div class="alert alert-success" role="status"><p class="mb-0" safe>{t.sentText}</p></div>
          <p><a href={`/trasparenza/procedimenti/${encodeURIComponent(data.procedure.code)}`} safe>{t.backToCard}</a></p>
        </Layout>,
      );
    });
  };
}
