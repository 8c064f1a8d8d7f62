/**
 * App IO is offered only where the case's office has a key (IO_API_KEY, IO_API_KEYS): the API, the back office's
 * forms and contacts panel, the adhesion form and the citizen's case page, where the citizen chooses their channels.
 * Here the administration has IO_API_KEYS=VIAB=... alone: VIAB offers App IO, AMB does not.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PDFCheckBox, PDFDocument, PDFTextField } from 'pdf-lib';
import { ADHESION_FIELDS } from '../../src/adapters/web/adhesion-pdf.ts';
import { DEMO_LOGINS } from '../../src/application/demo.ts';
import { maskFiscalCode } from '../../src/domain/case/fiscal-code.ts';
import { AMB_MANAGER, ADMIN, StaffClient, VIAB_MANAGER, text } from '../backoffice/client.ts';
import { Visitor, demoCase, eventually, movableClock, visibleText } from '../portal/support.ts';
import type { PortalTestApp } from '../portal/support.ts';
import { createTestApp } from '../support/app.ts';
import { fiscalCode } from '../support/app-io.ts';
import { TODAY, systemActor } from '../support/fixtures.ts';
import { recordEvent } from '../../src/application/cases.ts';

const api = { authorization: `Bearer ${DEMO_LOGINS.apiToken}`, 'content-type': 'application/json' };

describe('App IO offered only where the office has a key (IO_API_KEYS=VIAB=…)', () => {
  let testApp: PortalTestApp;
  let counter = 0;
  const nextFiscalCode = () => fiscalCode(500 + ++counter);

  before(async () => {
    testApp = await createTestApp({ clock: movableClock(), io: { everyOffice: false, offices: new Set(['VIAB']) } });
  });
  after(() => testApp.close());

  const contactsOf = (code: string) => testApp.database.db.selectFrom('cases')
    .select(['notify_sms', 'notify_email', 'notify_io', 'version']).where('code', '=', code).executeTakeFirstOrThrow();

  /** A demo case given a fiscal code, and App IO chosen when `io` (as if chosen while its office had it). */
  async function caseWithFiscalCode(subjectWord: string, io = false) {
    const c = await demoCase(testApp, subjectWord);
    const code = nextFiscalCode();
    await testApp.database.db.updateTable('cases').set({ applicant_fiscal_code: code, notify_io: io }).where('id', '=', c.id).execute();
    return { ...c, fiscalCode: code };
  }

  test('the API: App IO chosen for a case of an office without it is a 422 problem+json; with it the case is enrolled', async () => {
    const rows: [string, string, string[], number, string | undefined][] = [
      ['VIAB has App IO', 'TE-01', ['io'], 201, undefined],
      ['AMB has not', 'AS-01', ['io'], 422, 'channel-unavailable'],
      ['AMB has not, even beside e-mail', 'AS-01', ['io', 'email'], 422, 'channel-unavailable'],
      ['AMB by e-mail', 'AS-01', ['email'], 201, undefined],
    ];
    for (const [name, procedureCode, channels, status, problemCode] of rows) {
      const before = await testApp.database.db.selectFrom('cases').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      const response = await testApp.app.inject({
        method: 'POST', url: '/api/v1/cases', headers: api,
        payload: { procedureCode, subject: `Domanda ${name}`, applicantName: 'Mario Rossi', receivedOn: '2026-11-24', email: 'mario@example.org', applicantFiscalCode: nextFiscalCode(), channels },
      });
      assert.equal(response.statusCode, status, `${name}: ${response.body}`);
      const after = await testApp.database.db.selectFrom('cases').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      assert.equal(Number(after.n) - Number(before.n), status === 201 ? 1 : 0, `${name}: cases enrolled`);
      if (problemCode) {
        assert.match(String(response.headers['content-type']), /^application\/problem\+json/);
        const problem = response.json() as { code: string; detail: string; status: number };
        assert.equal(problem.code, problemCode);
        assert.equal(problem.status, 422);
        assert.match(problem.detail, /App IO non è attivo per l'ufficio che segue la pratica: scegliere SMS o e-mail/);
      }
    }
  });

  test('the enrolment form offers App IO to the offices that have it, names them to whoever sees others, and refuses it elsewhere', async () => {
    const viab = new StaffClient(testApp.app);
    await viab.signIn(VIAB_MANAGER);
    const viabForm = await viab.get('/uffici/pratiche/nuova');
    assert.match(viabForm.body, /id="channel-io"/);
    assert.match(text(viabForm.body), /App IO raggiunge il richiedente con il codice fiscale/);

    const amb = new StaffClient(testApp.app);
    await amb.signIn(AMB_MANAGER);
    const ambForm = await amb.get('/uffici/pratiche/nuova');
    assert.match(ambForm.body, /id="channel-sms"/);
    assert.doesNotMatch(ambForm.body, /id="channel-io"|App IO/, 'no App IO where the office has no key');

    const admin = new StaffClient(testApp.app);
    await admin.signIn(ADMIN);
    const adminForm = await admin.get('/uffici/pratiche/nuova');
    assert.match(adminForm.body, /id="channel-io"/);
    assert.match(text(adminForm.body), /App IO solo per i procedimenti degli uffici VIAB; serve il codice fiscale del richiedente\./);

    const forged = await amb.post('/uffici/pratiche/nuova', {
      procedureCode: 'AS-01', subject: 'Scarico di acque reflue', applicantName: 'Mario Rossi', receivedOn: '2026-11-24',
      applicantFiscalCode: nextFiscalCode(), email: 'mario@example.org', channels: ['io'], privacy: 'yes', action: 'save',
    });
    assert.equal(forged.statusCode, 422);
    assert.match(text(forged.body), /App IO non è attivo per l'ufficio che segue la pratica: scegliere SMS o e-mail\./);
    assert.match(forged.body, /href="#channels"/, 'the error links to the channels');
  });

  test('back office contacts: App IO with the fiscal code; a choice made before the office lost its key is shown inactive, kept, removable, not made anew', async () => {
    const viab = new StaffClient(testApp.app);
    await viab.signIn(VIAB_MANAGER);
    const here = await caseWithFiscalCode('macchina agricola');
    const panel = text((await viab.get(`/uffici/pratiche/${here.code}`)).body);
    assert.match(panel, new RegExp(`App IO \\(codice fiscale\\): ${here.fiscalCode}(?! \\()`), 'App IO listed, not chosen');
    const form = await viab.get(`/uffici/pratiche/${here.code}/recapiti`);
    assert.match(form.body, /id="channel-io"/);
    const version = /name="version" value="(\d+)"/.exec(form.body)![1]!;
    const saved = await viab.post(`/uffici/pratiche/${here.code}/recapiti`, { mobile: '333 123 4567', email: 'a@example.org', channels: ['io', 'email'], version });
    assert.equal(saved.statusCode, 303);
    assert.match(text((await viab.follow(saved)).body), new RegExp(`App IO \\(codice fiscale\\): ${here.fiscalCode} \\(App IO\\)`));
    assert.equal((await contactsOf(here.code)).notify_io, true);

    // a case without the fiscal code: the form says where it is added, and a choice of App IO is refused at the channels
    const without = await demoCase(testApp, 'trasformatore');
    const withoutForm = await viab.get(`/uffici/pratiche/${without.code}/recapiti`);
    assert.match(text(withoutForm.body), /App IO raggiunge il richiedente con il codice fiscale, che questa pratica non ha: aggiungerlo dalla pagina della pratica\./);
    const { version: current } = await contactsOf(without.code);
    const noCode = await viab.post(`/uffici/pratiche/${without.code}/recapiti`, { mobile: '333 123 4567', email: '', channels: ['io'], version: String(current) });
    assert.equal(noCode.statusCode, 422);
    assert.match(text(noCode.body), /Per ricevere i messaggi in App IO indicare il codice fiscale del richiedente\./);
    assert.match(noCode.body, /href="#channels"/, 'tied to the channels, the field this form has');

    const amb = new StaffClient(testApp.app);
    await amb.signIn(AMB_MANAGER);
    const lost = await caseWithFiscalCode('scarico industriale', true);
    const lostPanel = text((await amb.get(`/uffici/pratiche/${lost.code}`)).body);
    assert.match(lostPanel, /\(App IO, non attivo per l'ufficio della pratica: finché resta così, i messaggi vanno sugli altri canali scelti\)/);
    const lostForm = await amb.get(`/uffici/pratiche/${lost.code}/recapiti`);
    assert.match(lostForm.body, /id="channel-io"[^>]*checked/, 'the choice is shown, ticked');
    assert.match(text(lostForm.body), /App IO — non attivo per l'ufficio della pratica/);
    const save = async (channels: string[]) => {
      const { version: v } = await contactsOf(lost.code);
      return amb.post(`/uffici/pratiche/${lost.code}/recapiti`, { mobile: '333 765 4321', email: 'b@example.org', channels, version: String(v) });
    };
    assert.equal((await save(['io', 'email'])).statusCode, 303, 'kept');
    assert.equal((await contactsOf(lost.code)).notify_io, true);
    assert.equal((await save(['email'])).statusCode, 303, 'removed');
    assert.equal((await contactsOf(lost.code)).notify_io, false);
    assert.doesNotMatch((await amb.get(`/uffici/pratiche/${lost.code}/recapiti`)).body, /id="channel-io"/, 'once removed, no longer offered');
    const again = await save(['io', 'email']);
    assert.equal(again.statusCode, 422, 'not made anew');
    assert.match(text(again.body), /App IO non è attivo per l'ufficio che segue la pratica/);
    assert.equal((await contactsOf(lost.code)).notify_io, false);
  });

  test('staff see per message the channel that carries it: App IO, to the fiscal code', async () => {
    const c = await caseWithFiscalCode('gru semovente', true);
    await recordEvent({ db: testApp.database.db, clock: testApp.clock }, systemActor, c.code, { type: 'suspend', effectiveOn: TODAY, kind: 'art2c7', reason: 'Manca la planimetria del percorso' });
    const viab = new StaffClient(testApp.app);
    await viab.signIn(VIAB_MANAGER);
    const page = (await viab.get(`/uffici/pratiche/${c.code}`)).body;
    const messages = page.slice(page.indexOf('id="h-messages"'), page.indexOf('id="h-audit"'));
    assert.match(text(messages), new RegExp(`Sospensione App IO ${c.fiscalCode} in coda`), 'the IO message, its channel and address');
  });

  test('the adhesion form (printable page and fillable PDF) offers App IO with the fiscal code only where the office has it', async () => {
    const rows: [string, string, boolean][] = [['TE-01', 'VIAB', true], ['AS-01', 'AMB', false]];
    for (const [procedure, office, offered] of rows) {
      const page = await testApp.app.inject({ url: `/trasparenza/procedimenti/${procedure}/modulo-adesione` });
      assert.equal(page.statusCode, 200);
      const seen = text(page.body);
      assert.equal(/App IO, l'app dei servizi pubblici \(si accede con SPID o CIE\), al codice fiscale/.test(seen), offered, `${office}: the App IO box`);
      assert.equal(/Codice fiscale del richiedente \(necessario per App IO\)/.test(seen), offered, `${office}: the fiscal code line`);

      const pdf = await PDFDocument.load((await testApp.app.inject({ url: `/trasparenza/procedimenti/${procedure}/modulo-adesione.pdf` })).rawPayload);
      const form = pdf.getForm();
      const names = form.getFields().map((f) => f.getName());
      assert.equal(names.includes(ADHESION_FIELDS.channelIo), offered, `${office}: the PDF's App IO box`);
      assert.equal(names.includes(ADHESION_FIELDS.fiscalCode), offered, `${office}: the PDF's fiscal code field`);
      if (offered) {
        assert.ok(form.getField(ADHESION_FIELDS.channelIo) instanceof PDFCheckBox);
        assert.ok(form.getField(ADHESION_FIELDS.fiscalCode) instanceof PDFTextField);
      }
      // every field still on the one page, above its bottom margin
      const height = pdf.getPage(0).getHeight();
      for (const field of form.getFields()) {
        for (const widget of field.acroField.getWidgets()) {
          const rect = widget.getRectangle();
          assert.ok(rect.y >= 20 && rect.y + rect.height <= height, `${office}: ${field.getName()} on the page (y ${rect.y})`);
        }
      }
      assert.equal(pdf.getPageCount(), 1);
    }
  });

  test('the citizen sees App IO among the contacts, fiscal code masked, and chooses their channels on the case page', async () => {
    const c = await caseWithFiscalCode('trave prefabbricata');
    const db = testApp.database.db;
    const visitor = new Visitor(testApp, '192.0.2.61');
    await visitor.signIn(c.code);
    const page = await visitor.get('/pratica/dettaglio');
    assert.match(page.body, /<form method="post" action="\/pratica\/canali"/);
    const seen = visibleText(page.body);
    assert.match(seen, /Cellulare \(SMS\): \+39 ••• •••\d{3}/);
    assert.match(seen, /E-mail: \w•••@/);
    assert.match(seen, new RegExp(`App IO \\(codice fiscale\\): ${maskFiscalCode(c.fiscalCode).replaceAll('*', '\\*')}`));
    assert.doesNotMatch(page.body, new RegExp(c.fiscalCode), 'the fiscal code is never shown whole');
    assert.doesNotMatch(page.body, /id="channel-io"[^>]*checked/);

    const saved = await visitor.submit('/pratica/dettaglio', '/pratica/canali', { channels: 'io' });
    assert.equal(saved.statusCode, 303, 'POST/redirect/GET');
    assert.equal(saved.headers.location, '/pratica/dettaglio?esito=canali#messages-title');
    assert.deepEqual(await contactsOf(c.code).then(({ notify_sms, notify_email, notify_io }) => ({ notify_sms, notify_email, notify_io })), { notify_sms: false, notify_email: false, notify_io: true });
    const shown = await eventually(() => visitor.get('/pratica/dettaglio?esito=canali'), (r) => /id="channel-io"[^>]*checked/.test(r.body));
    assert.match(visibleText(shown.body), /Canali aggiornati: i prossimi messaggi arriveranno come hai scelto\./);
    assert.match(shown.body, /id="channel-io"[^>]*checked/);
    const entry = await db.selectFrom('audit_log').selectAll().where('action', '=', 'case.contacts').where('entity_id', '=', c.code).executeTakeFirstOrThrow();
    assert.equal(entry.actor, `citizen:${c.code}`, 'audited, the citizen as the actor');

    const rows: [string, Record<string, string | string[]>, RegExp, string[]][] = [
      ['no channel', {}, /Scegli almeno un canale per ricevere i messaggi\./, []],
      ['a channel the page did not offer', { channels: ['email', 'pec'] }, /Per questa pratica si possono scegliere solo i canali con un recapito registrato: e-mail, SMS, App IO\./, ['email']],
    ];
    for (const [name, form, message, ticked] of rows) {
      const token = (await visitor.get('/pratica/dettaglio')).body.match(/name="_csrf" value="([^"]+)"/)![1]!;
      const body = new URLSearchParams({ _csrf: token });
      for (const value of [form.channels ?? []].flat()) body.append('channels', value);
      const refused = await testApp.app.inject({
        method: 'POST', url: '/pratica/canali', payload: body.toString(), remoteAddress: visitor.address,
        cookies: Object.fromEntries(visitor.cookies), headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      assert.equal(refused.statusCode, 422, name);
      assert.match(visibleText(refused.body), message, name);
      assert.match(refused.body, /href="#channels"/, `${name}: the error links to the channels`);
      assert.match(refused.body, /aria-invalid="true"/, `${name}: the field is marked`);
      const shownTicked = [...refused.body.matchAll(/<input[^>]*id="channel-(\w+)"[^>]*>/g)].filter((m) => /\schecked/.test(m[0])).map((m) => m[1]);
      assert.deepEqual(shownTicked, ticked, `${name}: the boxes as the citizen left them`);
      assert.equal((await contactsOf(c.code)).notify_io, true, `${name}: nothing changed`);
    }
    const noToken = await visitor.post('/pratica/canali', { channels: 'email' });
    assert.equal(noToken.statusCode, 403, 'the CSRF token is required');
    assert.equal((await contactsOf(c.code)).notify_email, false);
  });

  test('the citizen of an office without App IO: not offered, refused if forged; chosen before, shown inactive and removable', async () => {
    const c = await caseWithFiscalCode('scarico industriale');
    const visitor = new Visitor(testApp, '192.0.2.62');
    await visitor.signIn(c.code);
    const page = await visitor.get('/pratica/dettaglio');
    assert.match(page.body, /id="channel-email"/);
    assert.doesNotMatch(page.body, /id="channel-io"/);
    assert.doesNotMatch(visibleText(page.body), /App IO/);
    const forged = await visitor.submit('/pratica/dettaglio', '/pratica/canali', { channels: 'io' });
    assert.equal(forged.statusCode, 422);
    assert.match(visibleText(forged.body), /si possono scegliere solo i canali con un recapito registrato: e-mail, SMS\./);
    assert.equal((await contactsOf(c.code)).notify_io, false);

    const before = await caseWithFiscalCode('acque meteoriche', true);
    const other = new Visitor(testApp, '192.0.2.63');
    await other.signIn(before.code);
    const lost = await other.get('/pratica/dettaglio');
    assert.match(visibleText(lost.body), /App IO non è al momento attivo per l'ufficio della pratica: finché resta così, i messaggi arrivano sugli altri canali scelti\./);
    assert.match(lost.body, /id="channel-io"[^>]*checked/);
    const removed = await other.submit('/pratica/dettaglio', '/pratica/canali', { channels: 'email' });
    assert.equal(removed.statusCode, 303);
    assert.equal((await contactsOf(before.code)).notify_io, false);
  });
});
