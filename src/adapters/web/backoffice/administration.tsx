import Html from '@kitajs/html';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { actorOf } from '../../../application/backoffice/auth.ts';
import { SetupRefused, loadAdministration, setUpAdministration } from '../../../application/administration.ts';
import { ADMINISTRATION_TEXT_KEYS, REQUIRED_ADMINISTRATION_KEYS, SUBSTITUTE_POWER_KEYS } from '../../../domain/administration/setup.ts';
import type { AdministrationTextKey, SubstitutePowerKey } from '../../../domain/administration/setup.ts';
import { assertAllowed, canManageAdministration } from '../../../domain/policy.ts';
import type { Lang } from '../ui/i18n.ts';
import type { BackofficeKit } from './plugin.tsx';
import { CsrfField, ErrorSummary, Field, Page, TextArea } from './page.tsx';
import type { PageContext } from './page.tsx';
import { formErrors, str } from './forms.ts';
import { TOKENS_PATH } from './tokens.tsx';

type FieldName = AdministrationTextKey | `substitute.${SubstitutePowerKey}`;

/** The labels of the set-up keys (docs/setup.md names the same keys). */
const LABELS: Record<Lang, Record<FieldName | 'title' | 'tokens' | 'intro' | 'substitute' | 'save' | 'saved' | 'unchanged' | 'logo', string>> = {
  it: {
    title: 'Amministrazione', tokens: 'Chiavi API dei sistemi collegati', save: 'Salva', saved: 'Dati dell\'amministrazione salvati.', unchanged: 'Nessuna modifica.',
    intro: 'I dati che le pagine del servizio e i messaggi ai cittadini riportano sull\'amministrazione. Un campo lasciato vuoto non viene mostrato.',
    logo: 'Lo stemma si carica con il comando pratica setup (chiave logoFile).',
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
    logo: 'The coat of arms is uploaded with the pratica setup command (key logoFile).',
    name: 'Name', code: 'Short code (prefix of case codes)', ipaCode: 'IPA code', fiscalCode: 'Fiscal code', address: 'Address',
    pec: 'Institutional PEC', supportEmail: 'Support e-mail for the service', website: 'Institutional website', privacyNoticeUrl: 'Privacy notice (address)',
    accessibilityStatementUrl: 'Accessibility statement (address)', legalNotesUrl: 'Legal notes (address)',
    startCommunicationBasis: 'Local rule by which the start message replaces the formal communication',
    substitute: 'Holder of the substitute power (art. 2 c.9-bis L. 241/1990)', 'substitute.holder': 'Holder', 'substitute.office': 'Office',
    'substitute.email': 'E-mail', 'substitute.pec': 'PEC', 'substitute.phone': 'Phone',
  },
};

type Values = Partial<Record<FieldName, string>>;
type Errors = { field?: string; text: string }[];

function AdministrationPage({ ctx, values, errors }: { ctx: PageContext; values: Values; errors: Errors }): JSX.Element {
  const l = LABELS[ctx.lang];
  const field = (name: FieldName, required = false) => {
    const id = name.replace('.', '-');
    const error = errors.find((e) => e.field === id)?.text;
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
        <ErrorSummary errors={errors} t={ctx.t} />
        {ADMINISTRATION_TEXT_KEYS.map((key) => field(key, (REQUIRED_ADMINISTRATION_KEYS as readonly string[]).includes(key)))}
        <fieldset class="mb-3">
          <legend class="h5" safe>{l.substitute}</legend>
          {SUBSTITUTE_POWER_KEYS.map((key) => field(`substitute.${key}`))}
        </fieldset>
        <p class="small" safe>{l.logo}</p>
        <button type="submit" class="btn btn-primary">{Html.escapeHtml(l.save)}</button>
      </form>
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

export async function administrationRoutes(app: FastifyInstance, kit: BackofficeKit): Promise<void> {
  const guard = (request: FastifyRequest) => assertAllowed(canManageAdministration(request.staff!), 'configurare l\'amministrazione');

  app.get('/amministrazione', async (request, reply) => {
    guard(request);
    const current = await loadAdministration(kit.deps.db);
    const values: Values = { ...Object.fromEntries(Object.entries(current?.values ?? {}).map(([k, v]) => [k, v ?? ''])) };
    for (const key of SUBSTITUTE_POWER_KEYS) values[`substitute.${key}`] = current?.substitutePower?.[key] ?? '';
    return kit.render(request, reply, 200, (ctx) => <AdministrationPage ctx={ctx} values={values} errors={[]} />);
  });

  app.post('/amministrazione', { preHandler: app.csrfProtection }, async (request, reply) => {
    guard(request);
    const { raw, values } = setupOf(request.body);
    try {
      const outcome = await setUpAdministration(kit.deps.db, actorOf(request.staff!), raw);
      const l = LABELS[request.lang];
      return kit.redirect(reply, '/uffici/amministrazione', { kind: outcome.action === 'unchanged' ? 'info' : 'success', text: outcome.action === 'unchanged' ? l.unchanged : l.saved });
    } catch (error) {
      const errors = error instanceof SetupRefused
        ? error.problems.map((p) => ({ field: p.key === 'substitutePower' ? 'substitute-holder' : p.key, text: p.message }))
        : formErrors(error);
      return kit.render(request, reply, 422, (ctx) => <AdministrationPage ctx={ctx} values={values} errors={errors} />);
    }
  });
}
