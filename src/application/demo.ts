import { randomUUID } from 'node:crypto';
import type { Db } from '../adapters/db/database.ts';
import type { Channel } from '../domain/case/contacts.ts';
import type { CaseCommand } from '../domain/case/decide.ts';
import { addDays } from '../domain/deadline/index.ts';
import { parseTerm } from '../domain/deadline/index.ts';
import type { Actor } from './audit.ts';
import { enrolCase, recordEvent } from './cases.ts';
import type { EnrolmentDeps } from './cases.ts';
import { hashApiToken, hashPassword } from './credentials.ts';
import type { Services } from './services.ts';
import { storeCaseCredentials } from './notifications.ts';

/** Printed at start-up outside production, so a newcomer can sign in at once. Never valid in production. */
export const DEMO_LOGINS = {
  casePassword: 'DEMO-DEMO-DEMO-DEMO',
  apiToken: 'po_demo_token_only_for_the_demo_data_not_for_production',
  adminEmail: 'admin@provincia-fc.example',
  adminPassword: 'demo-admin-2026',
} as const;

const DEMO_ACTOR: Actor = { kind: 'system', id: 'demo', name: 'Dati dimostrativi', officeId: null };

interface DemoCase {
  procedure: string;
  subject: string;
  applicant: string;
  receivedDaysAgo: number;
  channels: Channel[];
  /** [days ago, command without its date] */
  events: [number, DistributiveOmit<CaseCommand, 'effectiveOn'>][];
}

type DistributiveOmit<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never;

const start = (reason = 'Domanda completa e ricevibile'): DistributiveOmit<CaseCommand, 'effectiveOn'> => ({ type: 'start', reason });

const CASES: DemoCase[] = [
  { procedure: 'TE-01', subject: 'Trasporto eccezionale di trave prefabbricata lungo la SP 4 del Bidente', applicant: 'Edilcarpi S.r.l.', receivedDaysAgo: 2, channels: ['sms', 'email'], events: [] },
  { procedure: 'PE-01', subject: 'Rilascio licenza di pesca di tipo B', applicant: 'Giulia Bertozzi', receivedDaysAgo: 1, channels: ['email'], events: [] },
  { procedure: 'AS-01', subject: 'Autorizzazione allo scarico di acque reflue domestiche in corpo idrico superficiale', applicant: 'Agriturismo Il Poggio', receivedDaysAgo: 0, channels: ['sms'], events: [] },
  { procedure: 'TE-01', subject: 'Trasporto eccezionale di macchina agricola, periodica', applicant: 'Consorzio Agrario Cesenate', receivedDaysAgo: 10, channels: ['sms', 'email'], events: [[9, start()]] },
  { procedure: 'TE-01', subject: 'Trasporto eccezionale di gru semovente', applicant: 'Sollevamenti Romagna S.p.A.', receivedDaysAgo: 13, channels: ['email'], events: [[12, start()]] },
  { procedure: 'AC-01', subject: 'Nuovo accesso carraio su SP 71 Forlì-Predappio km 3+200', applicant: 'Marco Zoffoli', receivedDaysAgo: 25, channels: ['sms'], events: [[24, start()]] },
  { procedure: 'AC-02', subject: 'Occupazione temporanea di suolo stradale per ponteggio', applicant: 'Costruzioni Savio S.n.c.', receivedDaysAgo: 40, channels: ['email'], events: [[38, start()]] },
  { procedure: 'AS-01', subject: 'Rinnovo autorizzazione allo scarico industriale', applicant: 'Caseificio Valle del Rabbi', receivedDaysAgo: 100, channels: ['sms', 'email'], events: [[98, start()]] },
  { procedure: 'PE-02', subject: 'Autorizzazione gara di pesca sul fiume Savio', applicant: 'ASD Pescatori Cesenati', receivedDaysAgo: 5, channels: ['email'], events: [[4, start()]] },
  { procedure: 'AS-01', subject: 'Autorizzazione allo scarico di acque meteoriche di dilavamento', applicant: 'Logistica Adriatica S.r.l.', receivedDaysAgo: 30, channels: ['sms', 'email'], events: [[29, start()], [12, { type: 'suspend', kind: 'art2c7', reason: 'Manca la planimetria della rete di raccolta', notes: 'Inviare la planimetria firmata da tecnico abilitato via PEC' }]] },
  { procedure: 'AC-01', subject: 'Regolarizzazione accesso agricolo su SP 33', applicant: 'Azienda agricola Fabbri', receivedDaysAgo: 70, channels: ['sms'], events: [[69, start()], [40, { type: 'suspend', kind: 'art2c7', reason: 'Documentazione fotografica mancante' }]] },
  { procedure: 'TE-01', subject: 'Trasporto eccezionale di cisterna fuori sagoma', applicant: 'Trasporti Neri S.r.l.', receivedDaysAgo: 20, channels: ['email'], events: [[19, start()], [6, { type: 'suspend', kind: 'art10bis', reason: 'Percorso non compatibile con il ponte sul Ronco', notes: 'Entro 10 giorni è possibile presentare osservazioni, anche con documenti' }]] },
  { procedure: 'AS-01', subject: 'Autorizzazione allo scarico in pubblica fognatura di acque di processo', applicant: 'Ceramiche del Lamone', receivedDaysAgo: 60, channels: ['email'], events: [[58, start()], [20, { type: 'suspend', kind: 'other', legalBasis: 'D.Lgs. 152/2006, art. 124 c.7', reason: 'In attesa del parere del gestore del servizio idrico' }]] },
  { procedure: 'AC-02', subject: 'Occupazione di suolo per cantiere stradale', applicant: 'Idraulica Montanari', receivedDaysAgo: 35, channels: ['sms', 'email'], events: [[34, start()], [25, { type: 'suspend', kind: 'art2c7', reason: 'Manca la polizza fideiussoria' }], [15, { type: 'resume', reason: 'Polizza ricevuta il giorno stesso' }]] },
  { procedure: 'AS-01', subject: 'Variante all\'autorizzazione allo scarico', applicant: 'Lavanderia Industriale Romagnola', receivedDaysAgo: 80, channels: ['email'], events: [[79, start()], [50, { type: 'suspend', kind: 'art2c7', reason: 'Analisi delle acque mancanti' }], [30, { type: 'resume', reason: 'Analisi ricevute' }]] },
  { procedure: 'TE-01', subject: 'Trasporto eccezionale di trasformatore', applicant: 'Elettromeccanica Bassi', receivedDaysAgo: 18, channels: ['sms'], events: [[17, start()], [12, { type: 'suspend', kind: 'art10bis', reason: 'Massa eccedente i limiti del ponte' }], [9, { type: 'observations', reason: 'Proposto percorso alternativo' }], [3, { type: 'resume', reason: 'Percorso alternativo accolto' }]] },
  { procedure: 'PE-01', subject: 'Rilascio licenza di pesca di tipo A', applicant: 'Luca Casadei', receivedDaysAgo: 30, channels: ['sms'], events: [[29, start()], [10, { type: 'close', outcome: 'accepted', reason: 'Licenza rilasciata', notes: 'Ritirare la licenza presso l\'Ufficio Caccia e pesca' }]] },
  { procedure: 'AC-01', subject: 'Accesso carraio a servizio di fabbricato residenziale', applicant: 'Anna Rinaldi', receivedDaysAgo: 120, channels: ['email'], events: [[118, start()], [20, { type: 'close', outcome: 'accepted', reason: 'Concessione rilasciata in ritardo per carenza di personale' }]] },
  { procedure: 'TE-01', subject: 'Trasporto eccezionale di pale eoliche', applicant: 'Ventoverde Energia S.r.l.', receivedDaysAgo: 45, channels: ['sms', 'email'], events: [[44, start()], [35, { type: 'suspend', kind: 'art10bis', reason: 'Percorso non percorribile' }], [20, { type: 'close', outcome: 'rejected', reason: 'Nessuna osservazione presentata; domanda respinta' }]] },
  { procedure: 'AS-01', subject: 'Autorizzazione allo scarico di acque reflue assimilate', applicant: 'Cantina Sociale di Bertinoro', receivedDaysAgo: 200, channels: ['email'], events: [[199, start()], [150, { type: 'suspend', kind: 'other', legalBasis: 'D.Lgs. 152/2006, art. 124', reason: 'Parere ARPAE' }], [100, { type: 'resume', reason: 'Parere ARPAE favorevole' }], [60, { type: 'close', outcome: 'accepted', reason: 'Autorizzazione rilasciata' }]] },
  { procedure: 'PE-02', subject: 'Autorizzazione gara di pesca sul lago di Quarto', applicant: 'ASD Lenza Forlivese', receivedDaysAgo: 15, channels: ['sms'], events: [[14, start()], [8, { type: 'close', outcome: 'withdrawn', reason: 'Gara annullata dagli organizzatori' }]] },
  { procedure: 'AC-02', subject: 'Occupazione di suolo per manifestazione', applicant: 'Pro Loco di Bagno di Romagna', receivedDaysAgo: 50, channels: ['email'], events: [[49, { type: 'start', reason: 'Avvio' }], [47, { type: 'suspend', kind: 'interruption', legalBasis: 'Regolamento provinciale per le occupazioni, art. 12', reason: 'Domanda da ripresentare con nuovo tracciato' }], [30, { type: 'resume', reason: 'Nuovo tracciato presentato: il termine riparte' }], [5, { type: 'close', outcome: 'accepted', reason: 'Concessione rilasciata' }]] },
];

/** Seeds the demo administration when the database has none. Returns false when there was data already. */
export async function seedDemoData(deps: EnrolmentDeps & Pick<Services, 'staffPasswords'>): Promise<boolean> {
  const { db } = deps;
  const existing = await db.selectFrom('administrations').select('id').limit(1).executeTakeFirst();
  if (existing) return false;
  const today = deps.clock.today();

  const administrationId = randomUUID();
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('administrations').values({
      id: administrationId, code: 'FC', name: 'Provincia di Forlì-Cesena (dati dimostrativi)', pec: 'provincia.forlicesena@cert.provincia-fc.example',
      website: 'https://www.provincia-fc.example', support_email: 'praticaonline@provincia-fc.example', demo: true,
    }).execute();
    await trx.insertInto('local_days').values([
      { id: randomUUID(), month: 2, day: 4, name: 'Madonna del Fuoco, patrona di Forlì' },
      { id: randomUUID(), month: 6, day: 24, name: 'San Giovanni Battista, patrono di Cesena' },
    ]).execute();
  });

  const offices = [
    { code: 'VIAB', name: 'Servizio Viabilità - Trasporti eccezionali e concessioni stradali', address: 'Piazza Morgagni 9, 47121 Forlì', phone: '+39 0543 714111', email: 'viabilita@provincia-fc.example', pec: 'viabilita@cert.provincia-fc.example', opening_hours: 'lunedì-venerdì 9:00-12:30; giovedì anche 15:00-17:00', responsible: { name: 'Ing. Paolo Garavini', email: 'paolo.garavini@provincia-fc.example', phone: '+39 0543 714250' } },
    { code: 'AMB', name: 'Servizio Ambiente - Autorizzazioni agli scarichi', address: 'Piazza Morgagni 9, 47121 Forlì', phone: '+39 0543 714300', email: 'ambiente@provincia-fc.example', pec: 'ambiente@cert.provincia-fc.example', opening_hours: 'lunedì-venerdì 9:00-13:00', responsible: { name: 'Dott.ssa Elena Magnani', email: 'elena.magnani@provincia-fc.example', phone: '+39 0543 714310' } },
    { code: 'CAPE', name: 'Ufficio Caccia e pesca', address: 'Via Cesare Battisti 1, 47521 Cesena', phone: '+39 0547 366111', email: 'cacciapesca@provincia-fc.example', pec: 'cacciapesca@cert.provincia-fc.example', opening_hours: 'martedì e giovedì 9:00-12:00', responsible: { name: 'Dott. Stefano Rossi', email: 'stefano.rossi@provincia-fc.example', phone: '+39 0547 366120' } },
  ];
  const staffPassword = await deps.staffPasswords.hash(DEMO_LOGINS.adminPassword);
  const officeIds = new Map<string, { officeId: string; responsibleId: string }>();
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('staff').values({ id: randomUUID(), office_id: null, name: 'Amministratore (demo)', role: 'admin', email: DEMO_LOGINS.adminEmail, password_hash: staffPassword, demo: true }).execute();
    for (const { responsible, ...office } of offices) {
      const officeId = randomUUID();
      const responsibleId = randomUUID();
      await trx.insertInto('offices').values({ id: officeId, administration_id: administrationId, ...office, demo: true }).execute();
      await trx.insertInto('staff').values({ id: responsibleId, office_id: officeId, role: 'office-manager', ...responsible, password_hash: staffPassword, demo: true }).execute();
      officeIds.set(office.code, { officeId, responsibleId });
    }
    await trx.insertInto('api_tokens').values({ id: randomUUID(), name: 'demo', office_id: null, token_hash: hashApiToken(DEMO_LOGINS.apiToken) }).execute();
  });

  const substitute = { substitute_name: 'Segretario generale della Provincia (potere sostitutivo, art. 2 c.9-bis L. 241/1990)', substitute_contact: 'segreteria.generale@cert.provincia-fc.example, tel. +39 0543 714200' };
  const procedures = [
    { code: 'TE-01', office: 'VIAB', name: 'Autorizzazione al transito di trasporti eccezionali', description: 'Autorizzazione alla circolazione di veicoli e trasporti eccezionali sulle strade provinciali.', legal_basis: 'D.Lgs. 285/1992 (Codice della strada), art. 10; D.P.R. 495/1992, art. 14', term_text: '15 gg. da ricevimento domanda', silenzio_assenso: false },
    { code: 'AC-01', office: 'VIAB', name: 'Concessione di accesso carraio su strada provinciale', description: 'Concessione per l\'apertura o la modifica di accessi e diramazioni su strade provinciali.', legal_basis: 'D.Lgs. 285/1992, art. 22; D.P.R. 495/1992, artt. 44-46', term_text: '60 giorni', silenzio_assenso: false },
    { code: 'AC-02', office: 'VIAB', name: 'Concessione per l\'occupazione temporanea di suolo stradale', description: 'Occupazione temporanea di aree della strada provinciale per cantieri, ponteggi e manifestazioni.', legal_basis: 'D.Lgs. 285/1992, art. 21; Regolamento provinciale per le occupazioni', term_text: '30 giorni lavorativi', silenzio_assenso: false },
    { code: 'AS-01', office: 'AMB', name: 'Autorizzazione allo scarico di acque reflue', description: 'Autorizzazione allo scarico di acque reflue non in pubblica fognatura e di acque industriali.', legal_basis: 'D.Lgs. 152/2006, artt. 101 e 124', term_text: '90 giorni', silenzio_assenso: false },
    { code: 'PE-01', office: 'CAPE', name: 'Licenza di pesca nelle acque interne', description: 'Rilascio della licenza di pesca professionale (tipo A) o sportiva (tipo B).', legal_basis: 'L.R. Emilia-Romagna 11/2012, art. 13', term_text: '30 gg. dalla presentazione della domanda', silenzio_assenso: true },
    { code: 'PE-02', office: 'CAPE', name: 'Autorizzazione a gare e manifestazioni di pesca', description: 'Autorizzazione allo svolgimento di gare di pesca nelle acque interne.', legal_basis: 'L.R. Emilia-Romagna 11/2012, art. 18', term_text: '20 giorni', silenzio_assenso: false },
    { code: 'IN-01', office: 'AMB', name: 'Informazioni ambientali su richiesta', description: 'Scheda senza termine numerico: non può aderire al servizio.', legal_basis: 'D.Lgs. 195/2005', term_text: 'immediato, salvo complessità', silenzio_assenso: false },
  ];
  await db.transaction().execute(async (trx) => {
    for (const { office, ...procedure } of procedures) {
      const ids = officeIds.get(office)!;
      let term: { term_amount: number | null; term_unit: 'calendar-days' | 'working-days' | 'months' | null } = { term_amount: null, term_unit: null };
      try {
        const parsed = parseTerm(procedure.term_text);
        term = { term_amount: parsed.amount, term_unit: parsed.unit };
      } catch {
        // the demo card without a numeric term, kept to show the refusal
      }
      await trx.insertInto('procedures').values({ id: randomUUID(), ...procedure, ...term, ...substitute, office_id: ids.officeId, responsible_staff_id: ids.responsibleId, demo: true }).execute();
    }
  });

  const demoPasswordHash = await hashPassword(DEMO_LOGINS.casePassword, deps.credentialsKeys);
  for (const [index, demo] of CASES.entries()) {
    const mobile = demo.channels.includes('sms') ? `+39 333 ${String(1000000 + index * 7919).slice(0, 7)}` : null;
    const email = demo.channels.includes('email') ? `richiedente${index + 1}@cittadini.example` : null;
    const { code } = await enrolCase(deps, DEMO_ACTOR, {
      procedureCode: demo.procedure, subject: demo.subject, applicantName: demo.applicant, receivedOn: addDays(today, -demo.receivedDaysAgo),
      protocolNumber: `${today.slice(0, 4)}/${String(10000 + index * 37)}`, mobile, email, channels: demo.channels,
    });
    // the published demo password replaces the random one, sealed like any other so messages carry it
    await db.transaction().execute(async (trx) => {
      const { id } = await trx.updateTable('cases').set({ password_hash: demoPasswordHash, demo: true }).where('code', '=', code).returning('id').executeTakeFirstOrThrow();
      await storeCaseCredentials(trx, deps.credentialsKeys, { caseId: id, password: DEMO_LOGINS.casePassword, passwordHash: demoPasswordHash });
    });
    for (const [daysAgo, command] of demo.events) {
      await recordEvent(deps, DEMO_ACTOR, code, { ...command, effectiveOn: addDays(today, -daysAgo) } as CaseCommand);
    }
  }
  return true;
}

/** One demo case in each state, so a newcomer can sign in and see each kind of case page. */
export async function demoCaseCodes(db: Db): Promise<{ code: string; state: string; subject: string }[]> {
  const rows = await db.selectFrom('cases').select(['code', 'state', 'subject']).where('demo', '=', true).orderBy('created_at').execute();
  const byState = new Map<string, { code: string; state: string; subject: string }>();
  for (const row of rows) if (!byState.has(row.state)) byState.set(row.state, row);
  return [...byState.values()];
}
