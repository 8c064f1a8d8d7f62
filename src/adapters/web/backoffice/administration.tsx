import Html from '@kitajs/html';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { actorOf } from '../../../application/backoffice/auth.ts';
import { SetupRefused, loadAdministration, loadPageAdministration, setUpAdministration } from '../../../application/administration.ts';
import { ADMINISTRATION_TEXT_KEYS, REQUIRED_ADMINISTRATION_KEYS, SUBSTITUTE_POWER_KEYS } from '../../../domain/administration/setup.ts';
import type { AdministrationTextKey, LogoInput, SubstitutePowerKey } from '../../../domain/administration/setup.ts';
import { assertAllowed, canManageAdministration } from '../../../domain/policy.ts';
import type { Lang } from '../ui/i18n.ts';
import type { BackofficeKit } from './kit.ts';
import { CsrfField, ErrorSummary, Field, Page, TextArea, errorFor } from './page.tsx';
import type { PageContext } from './page.tsx';
import { formErrors, inFormOrder, single, str } from './forms.ts';
import type { MultipartValue } from './forms.ts';
import { TOKENS_PATH } from './tokens.tsx';

type FieldName = AdministrationTextKey | `substitute.${SubstitutePowerKey}`;

/** The labels of the set-up keys (docs/setup.md names the same keys). */
const LABELS: Record<Lang, Record<FieldName | 'title' | 'tokens' | 'intro' | 'substitute' | 'save' | 'saved' | 'unchanged' | 'logo' | 'logoFile' | 'logoHint' | 'logoUpload' | 'logoRemove' | 'logoCurrent' | 'logoMissing', string>> = {
  it: {
    title: 'Amministrazione', tokens: 'Chiavi API dei sistemi collegati', save: 'Salva', saved: 'Dati dell\'amministrazione salvati.', unchanged: 'Nessuna modifica.',
    intro: 'I dati che le pagine del servizio e i messaggi ai cittadini riportano sull\'amministrazione. Un campo lasciato vuoto non viene mostrato.',
    logo: 'Stemma', logoFile: 'File dello stemma', logoHint: 'PNG o SVG, al massimo 512 kB: compare nell\'intestazione di ogni pagina.',
    logoUpload: 'Carica lo stemma', logoRemove: 'Rimuovi lo stemma', logoCurrent: 'Stemma attuale', logoMissing: 'Nessuno stemma caricato: il file non è stato scelto.',
    name: 'Nome', code: 'Sigla (prefisso dei codici pratica)', ipaCode: 'Codice IPA', fiscalCode: 'Codice fiscale', address: 'Indirizzo della sede',
    pec: 'PEC istituzionale', supportEmail: 'E-mail di assistenza sul servizio', website: 'Sito istituzionale', privacyNoticeUrl: 'Informativa privacy (indirizzo)',
    accessibilityStatementUrl: 'Dichiarazione di accessibilità (indirizzo)', legalNotesUrl: 'Note legali (indirizzo)',
    startCommunicationBasis: 'Norma locale per cui il messaggio di avvio sostituisce la comunicazione formale',
    substitute: 'Titolare del potere sostitutivo (art. 2 c.9-bis L. 241/1990)', 'substitute.holder': 'Titolare', 'substitute.office': 'Ufficio',
    'substitute.email': 'E-mail', 'substitute.pec': 'PEC', 'substitute.phone': 'Telefono',
  },
  en: {
    title: 'Administration', tokens: 'API keys of connected systems', save: 'Save', saved: 'Administration details saved.', unchanged: 'No change.',
    intro: 'What the service\'s pages and the messages to citizens say about the administration. A field left empty is not shown.',
    logo: 'Coat of arms', logoFile: 'Coat of arms file', logoHint: 'PNG or SVG, at most 512 kB: shown in the header of every page.',
    logoUpload: 'Upload the coat of arms', logoRemove: 'Remove the coat of arms', logoCurrent: 'Current coat of arms', logoMissing: 'No coat of arms uploaded: no file was chosen.',
    name: 'Name', code: 'Short code (prefix of case codes)', ipaCode: 'IPA code', fiscalCode: 'Fiscal code', address: 'Address',
    pec: 'Institutional PEC', supportEmail: 'Support e-mail for the service', website: 'Institutional website', privacyNoticeUrl: 'Privacy notice (address)',
    accessibilityStatementUrl: 'Accessibility statement (address)', legalNotesUrl: 'Legal notes (address)',
    startCommunicationBasis: 'Local rule by which the start message replaces the formal communication',
    substitute: 'Holder of the substitute power (art. 2 c.9-bis L. 241/1990)', 'substitute.holder': 'Holder', 'substitute.office': 'Office',
    'substitute.email': 'E-mail', 'substitute.pec': 'PEC', 'substitute.phone': 'Phone',
  },
};

type Values = Partial<Record<FieldName, string>>;

/** A set-up key's field on the page ("substitute.email" is "substitute-email"). */
const fieldId = (name: FieldName): string => name.replace('.', '-');
/** The page's fields in their order, as the summary lists them. */
const FORM_ORDER = [...ADMINISTRATION_TEXT_KEYS.map(fieldId), ...SUBSTITUTE_POWER_KEYS.map((key) => fieldId(`substitute.${key}`)), 'logo'];

/** The field a refusal of the set-up names: a substitute-power value its own, the whole object the first of them. */
function fieldOfProblem(key: string): string {
  if (key === 'logoFile') return 'logo';
  if (key === 'substitutePower') return 'substitute-holder';
  return key.startsWith('substitutePower.') ? `substitute-${key.slice('substitutePower.'.length)}` : key;
}
const LOGO_FORM_PATH = '/uffici/amministrazione/stemma';
type Errors = { field?: string; text: string }[];

function AdministrationPage({ ctx, values, errors, logoUrl }: { ctx: PageContext; values: Values; errors: Errors; logoUrl: string | null }): JSX.Element {
  const l = LABELS[ctx.lang];
  const field = (name: FieldName, required = false) => {
    const id = fieldId(name);
    const error = errorFor(errors, id);
    return name === 'startCommunicationBasis'
      ? <TextArea id={id} name={name} label={l[name]} value={values[name]} error={error} />
      : <Field id={id} name={name} label={l[name]} value={values[name]} required={required} error={error} />;
  };
  return (
    <Page ctx={ctx} title={l.title} section="administration">
      <h1 safe>{l.title}</h1>
      <p safe>{l.intro}</p>
      <p><a href={TOKENS_PATH} safe>{l.tokens}</a></p>
      <form method="post" action="/uffici/amministrazione" novalidate>
        <CsrfField ctx={ctx} />
        <ErrorSummary errors={inFormOrder(errors, FORM_ORDER)} t={ctx.t} />
        {ADMINISTRATION_TEXT_KEYS.map((key) => field(key, (REQUIRED_ADMINISTRATION_KEYS as readonly string[]).includes(key)))}
        <fieldset class="mb-3">
          <legend class="h5" safe>{l.substitute}</legend>
          {SUBSTITUTE_POWER_KEYS.map((key) => field(`substitute.${key}`))}
        </fieldset>
        <button type="submit" class="btn btn-primary">{Html.escapeHtml(l.save)}</button>
      </form>
      <h2 class="h4 mt-5" safe>{l.logo}</h2>
      {logoUrl ? <p><img src={logoUrl} alt={l.logoCurrent} height="64" /></p> : ''}
      <form method="post" action={LOGO_FORM_PATH} enctype="multipart/form-data" class="mb-3">
        <CsrfField ctx={ctx} />
        <Field id="logo" label={l.logoFile} type="file" hint={l.logoHint} error={errorFor(errors, 'logo')} attributes={{ accept: 'image/png,image/svg+xml' }} />
        <button type="submit" class="btn btn-outline-primary">{Html.escapeHtml(l.logoUpload)}</button>
      </form>
      {logoUrl ? (
        <form method="post" action={LOGO_FORM_PATH} enctype="multipart/form-data">
          <CsrfField ctx={ctx} />
          <input type="hidden" name="remove" value="yes" />
          <button type="submit" class="btn btn-outline-danger">{Html.escapeHtml(l.logoRemove)}</button>
        </form>
      ) : ''}
    </Page>
  );
}

/** The set-up as the form sends it: every key present, an empty field clears an optional value. */
function setupOf(body: unknown): { raw: Record<string, unknown>; values: Values } {
  const values: Values = {};
  const raw: Record<string, unknown> = {};
  for (const key of ADMINISTRATION_TEXT_KEYS) raw[key] = values[key] = str(body, key);
  const power: Record<string, string> = {};
  for (const key of SUBSTITUTE_POWER_KEYS) power[key] = values[`substitute.${key}`] = str(body, `substitute.${key}`);
  raw.substitutePower = power;
  // the sigla cannot be emptied: left empty, the stored one stays
  if (!raw.code) delete raw.code;
  return { raw, values };
}

/** The coat of arms as the upload form sends it: a new image, a removal, or nothing chosen. */
function logoOf(body: unknown): { raw: { logoFile: string }; logo?: LogoInput } | undefined {
  if (single<MultipartValue>(body, 'remove') === 'yes') return { raw: { logoFile: '' } };
  const file = single<MultipartValue>(body, 'logo');
  if (typeof file !== 'object' || (('bytes' in file ? file.bytes.length : file.text.length) === 0)) return undefined;
  // a file the browser did not call an image is no logo: checkLogo tells why
  return { raw: { logoFile: file.name || 'stemma' }, logo: 'bytes' in file ? file.bytes : new TextEncoder().encode(file.text) };
}

export async function administrationRoutes(app: FastifyInstance, kit: BackofficeKit): Promise<void> {
  const guard = (request: FastifyRequest) => assertAllowed(canManageAdministration(request.staff!), 'configurare l\'amministrazione');
  const render = async (request: FastifyRequest, reply: FastifyReply, status: number, errors: Errors, edited?: Values) => {
    const current = await loadAdministration(kit.deps.db);
    const values: Values = edited ?? { ...Object.fromEntries(Object.entries(current?.values ?? {}).map(([k, v]) => [k, v ?? ''])) };
    if (!edited) for (const key of SUBSTITUTE_POWER_KEYS) values[`substitute.${key}`] = current?.substitutePower?.[key] ?? '';
    const { logoUrl } = await loadPageAdministration(kit.deps.db);
    return kit.render(request, reply, status, (ctx) => <AdministrationPage ctx={ctx} values={values} errors={errors} logoUrl={logoUrl} />);
  };
  const refusals = (error: unknown): Errors => error instanceof SetupRefused
    ? error.problems.map((p) => ({ field: fieldOfProblem(p.key), text: p.message }))
    : formErrors(error);

  app.get('/amministrazione', async (request, reply) => {
    guard(request);
    return render(request, reply, 200, []);
  });

  app.post('/amministrazione', { preHandler: app.csrfProtection }, async (request, reply) => {
    guard(request);
    const { raw, values } = setupOf(request.body);
    try {
      const outcome = await setUpAdministration(kit.deps.db, actorOf(request.staff!), raw);
      const l = LABELS[request.lang];
      return kit.redirect(reply, '/uffici/amministrazione', { kind: outcome.action === 'unchanged' ? 'info' : 'success', text: outcome.action === 'unchanged' ? l.unchanged : l.saved });
    } catch (error) {
      return render(request, reply, 422, refusals(error), values);
    }
  });

  app.post('/amministrazione/stemma', { preHandler: app.csrfProtection }, async (request, reply) => {
    guard(request);
    const l = LABELS[request.lang];
    const upload = logoOf(request.body);
    if (!upload) return render(request, reply, 422, [{ field: 'logo', text: l.logoMissing }]);
    try {
      const outcome = await setUpAdministration(kit.deps.db, actorOf(request.staff!), upload.raw, upload.logo);
      return kit.redirect(reply, '/uffici/amministrazione', { kind: outcome.action === 'unchanged' ? 'info' : 'success', text: outcome.action === 'unchanged' ? l.unchanged : l.saved });
    } catch (error) {
      return render(request, reply, 422, refusals(error));
    }
  });
}
