import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config.ts';
import { startServer } from '../../src/server.ts';
import type { RunningServer } from '../../src/server.ts';
import { systemClock } from '../../src/application/clock.ts';
import { StaffClient } from '../backoffice/client.ts';
import { createServerDatabase, usingPostgres } from '../support/database.ts';
import { startSmtpServer } from '../support/smtp.ts';
import type { TestSmtpServer } from '../support/smtp.ts';
import { startSmppServer } from '../support/smpp.ts';
import type { TestSmppServer } from '../support/smpp.ts';

const BASIS = 'art. 10 c.3 lett. a) del Regolamento provinciale sul procedimento amministrativo, delib. C.P. 59274/129 del 28/06/2010';

/**
 * What a new administration does on the first day: an empty database in production, no demo data,
 * set up from the command line, then everything else from the back office and the API, with real SMTP and SMPP servers.
 */
describe('from an empty database in production to the citizen\'s start message', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'pratica-empty-'));
  let databaseUrl = '';
  let dropServerDatabase = async () => {};
  let smtp: TestSmtpServer;
  let smpp: TestSmppServer;
  let env: Record<string, string>;
  let server: RunningServer | undefined;

  before(async () => {
    if (usingPostgres()) {
      const created = await createServerDatabase(process.env.TEST_DATABASE_URL!);
      databaseUrl = created.url;
      dropServerDatabase = created.drop;
    }
    smtp = await startSmtpServer();
    smpp = await startSmppServer();
    env = {
      NODE_ENV: 'production', DEMO_DATA: 'false', DATA_DIR: dataDir, DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn', PORT: '0', HOST: '127.0.0.1',
      SESSION_SECRET: '5GhYTYKgvB-jfJZOGmRqGPzncq9zX-wS0ScDjXQj7CM', CREDENTIALS_KEY: 'OA5EZLU8wX3OPSeZI9wvZ3oqwGel1vlFvnNQ/cB1HZA=',
      PUBLIC_BASE_URL: 'https://pratica.provincia.example',
      EMAIL_TRANSPORT: 'smtp', SMTP_URL: smtp.url, EMAIL_FROM: 'Provincia di Forlì-Cesena <praticaonline@provincia.example>',
      SMS_TRANSPORT: 'smpp', SMPP_URL: smpp.url, SMS_SENDER: 'Provincia',
    };
  });
  after(async () => {
    await server?.stop();
    await smtp.stop();
    await smpp.stop();
    rmSync(dataDir, { recursive: true, force: true });
    await dropServerDatabase();
  });

  function pratica(args: string[]) {
    const result = spawnSync(process.execPath, ['bin/pratica.mjs', ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 120_000 });
    assert.equal(result.status, 0, `pratica ${args.join(' ')}: ${result.stderr}`);
    return result.stdout;
  }

  test('setup, users, office, procedure, token, enrolment and start', async () => {
    const file = join(dataDir, 'administration.json');
    writeFileSync(file, JSON.stringify({
      name: 'Provincia di Forlì-Cesena', code: 'FC', supportEmail: 'praticaonline@provincia.fc.it', website: 'https://www.provincia.fc.it',
      pec: 'provincia.forlicesena@cert.provincia.fc.it', startCommunicationBasis: BASIS,
      substitutePower: { holder: 'Segretario generale', office: 'Segreteria generale', pec: 'segreteria@cert.provincia.fc.it', phone: '+39 0543 714200' },
    }));
    assert.match(pratica(['setup', '--file', file]), /creata/);
    const initial = /^([2-9A-HJ-NP-Z]{4}-){3}[2-9A-HJ-NP-Z]{4}$/m.exec(pratica(['user', 'create', '--role', 'admin', '--email', 'capo@provincia.fc.it', '--name', 'Capo']))?.[0];
    assert.ok(initial, 'the initial password is printed');
    // before the server: the embedded database admits one process at a time
    const token = /^po_[A-Za-z0-9_-]{43}$/m.exec(pratica(['token', 'create', '--name', 'protocollo']))?.[0];
    assert.ok(token);

    server = await startServer(loadConfig(env));
    const admin = new StaffClient(server.app);
    await admin.signIn({ email: 'capo@provincia.fc.it', password: initial });
    assert.equal((await admin.get('/uffici/catalogo')).headers.location, '/uffici/password', 'the initial password is changed first');
    await admin.get('/uffici/password');
    const changed = await admin.post('/uffici/password', { currentPassword: initial, newPassword: 'la nuova password del capo', confirmPassword: 'la nuova password del capo' });
    assert.equal(changed.statusCode, 303, changed.body);

    await admin.get('/uffici/catalogo/uffici/nuovo');
    const office = await admin.post('/uffici/catalogo/uffici/nuovo', { code: 'VIAB', name: 'Servizio Viabilità', address: 'Piazza Morgagni 9, 47121 Forlì', pec: 'viabilita@cert.provincia.fc.it', phone: '+39 0543 714111' });
    assert.equal(office.statusCode, 303, office.body);
    await admin.get('/uffici/catalogo/personale/nuovo');
    const manager = await admin.post('/uffici/catalogo/personale/nuovo', { name: 'Ing. Paolo Garavini', email: 'paolo.garavini@provincia.fc.it', role: 'office-manager', officeCode: 'VIAB', active: 'yes' });
    assert.equal(manager.statusCode, 303, manager.body);
    await admin.get('/uffici/catalogo/procedimenti/nuovo');
    const procedure = await admin.post('/uffici/catalogo/procedimenti/nuovo', {
      code: 'TE-01', name: 'Autorizzazione al transito di trasporti eccezionali', officeCode: 'VIAB', responsibleEmail: 'paolo.garavini@provincia.fc.it',
      termText: '15 giorni', legalBasis: 'D.Lgs. 285/1992, art. 10',
      active: 'yes', action: 'save',
    });
    assert.equal(procedure.statusCode, 303, procedure.body);

    const headers = { authorization: `Bearer ${token}` };
    const today = systemClock.today();
    const enrolled = await server.app.inject({ method: 'POST', url: '/api/v1/cases', headers, payload: {
      procedureCode: 'TE-01', subject: 'Trasporto eccezionale di un escavatore', applicantName: 'Movimento Terra Rossi S.r.l.',
      receivedOn: today, protocolNumber: '2026/55555', mobile: '333 765 4321', email: 'ufficio@movimentoterra.example', channels: ['sms', 'email'],
    } });
    assert.equal(enrolled.statusCode, 201, enrolled.body);
    const code = (JSON.parse(enrolled.body) as { credentials: { code: string } }).credentials.code;
    assert.match(code, /^FC-/, 'the case code carries the prefix set up');
    const started = await server.app.inject({ method: 'POST', url: `/api/v1/cases/${code}/start`, headers, payload: { effectiveOn: today, reason: 'Domanda completa' } });
    assert.equal(started.statusCode, 201, started.body);

    const deadline = Date.now() + 30_000;
    const startMail = () => smtp.received.find((m) => m.to.includes('ufficio@movimentoterra.example') && /avvio del procedimento/.test(m.parsed.subject ?? ''));
    while (!startMail() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    const mail = startMail();
    assert.ok(mail, 'the start e-mail reached the SMTP server');
    const text = (mail.parsed.text ?? '').replace(/\s+/g, ' ');
    assert.ok(text.includes('Provincia di Forlì-Cesena le comunica'), text);
    assert.ok(text.includes(`Questo messaggio vale come comunicazione di avvio del procedimento (art. 8 L. 241/1990; ${BASIS})`), text);
    assert.ok(text.includes('praticaonline@provincia.fc.it'));
    // the card names no substitute: the administration's is the one the citizen is told of (art. 2 c.9-bis L. 241/1990)
    assert.ok(text.includes('titolare del potere sostitutivo, Segretario generale, Segreteria generale (PEC segreteria@cert.provincia.fc.it, tel. +39 0543 714200)'), text);
    assert.doesNotMatch(text, /provincia-fc\.example|dimostrativ/);
    const sms = await smpp.waitForParts(1, 30_000);
    assert.ok(sms.some((part) => part.text.includes(code)), 'the start SMS reached the SMPP server');
  });
});
