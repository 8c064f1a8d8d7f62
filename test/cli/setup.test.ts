import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { askSetup } from '../../src/cli/setup.ts';
import { commandsDatabase } from '../support/commands.ts';

const commands = commandsDatabase('pratica-setup-', { DEMO_DATA: 'false' });
const { pratica } = commands;
const filesDir = mkdtempSync(join(tmpdir(), 'pratica-setup-files-'));
after(() => rmSync(filesDir, { recursive: true, force: true }));

function file(name: string, content: unknown): string {
  const path = join(filesDir, name);
  writeFileSync(path, typeof content === 'string' || content instanceof Uint8Array ? content : JSON.stringify(content));
  return path;
}

async function storedAdministration() {
  const database = await commands.open();
  try {
    const rows = await database.db.selectFrom('administrations').selectAll().execute();
    const audits = await database.db.selectFrom('audit_log').select('action').where('entity', '=', 'administration').execute();
    return { rows, audits: audits.map((a) => a.action) };
  } finally {
    await database.close();
  }
}

const SETUP = {
  name: 'Provincia di Forlì-Cesena', code: 'FC', ipaCode: 'p_fc', fiscalCode: '80001510405', address: 'Piazza Morgagni 9, 47121 Forlì',
  pec: 'provincia.forlicesena@cert.provincia.fc.it', supportEmail: 'praticaonline@provincia.fc.it', website: 'https://www.provincia.fc.it',
  privacyNoticeUrl: 'https://www.provincia.fc.it/privacy', accessibilityStatementUrl: 'https://form.agid.gov.it/view/abc',
  startCommunicationBasis: 'art. 10 c.3 lett. a) del Regolamento provinciale sul procedimento amministrativo, delib. C.P. 59274/129 del 28/06/2010',
  logoFile: 'stemma.svg',
  substitutePower: { holder: 'Segretario generale', office: 'Segreteria generale', pec: 'segreteria@cert.provincia.fc.it', phone: '+39 0543 714200' },
};

describe('pratica setup', () => {
  test('refuses bad values with one Italian line per key, exit code 2, and writes nothing', async () => {
    const path = file('bad.json', { ...SETUP, supportEmail: 'assistenza', website: 'www.provincia.fc.it', fiscalCode: '80001510404', logoFile: 'manca.png' });
    const result = await pratica(['setup', '--file', path]);
    assert.equal(result.code, 2, result.stderr);
    const lines = result.stderr.trim().split('\n');
    assert.equal(lines[0], 'errore: dati non validi, nulla è stato salvato:');
    assert.deepEqual(lines.slice(1).map((line) => line.trim().split(':')[0]), ['fiscalCode', 'supportEmail', 'website', 'logoFile']);
    assert.deepEqual(await storedAdministration(), { rows: [], audits: [] });
  });

  test('a file that is not JSON is refused in Italian', async () => {
    const result = await pratica(['setup', '--file', file('broken.json', '{ "name": ')]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /^errore: il file ".*broken.json" non è JSON valido/);
  });

  test('creates the administration, with its logo, then a second run says "nessuna modifica"; a change is told by key', async () => {
    file('stemma.svg', '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle r="4" cx="5" cy="5"/></svg>');
    const path = file('administration.json', SETUP);
    const created = await pratica(['setup', '--file', path]);
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stdout, /^Amministrazione "Provincia di Forlì-Cesena" creata \(name, code, ipaCode, .*substitutePower, logoFile\)\.$/m);
    const again = await pratica(['setup', '--file', path]);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.stdout, 'Amministrazione "Provincia di Forlì-Cesena": nessuna modifica.\n');
    const changed = await pratica(['setup', '--file', file('change.json', { pec: 'protocollo@cert.provincia.fc.it', legalNotesUrl: 'https://www.provincia.fc.it/note-legali' })]);
    assert.equal(changed.code, 0, changed.stderr);
    assert.equal(changed.stdout, 'Amministrazione "Provincia di Forlì-Cesena" aggiornata: pec, legalNotesUrl.\n');

    const { rows: [row], audits } = await storedAdministration();
    assert.equal(row?.fiscal_code, '80001510405');
    assert.equal(row?.pec, 'protocollo@cert.provincia.fc.it');
    assert.equal(row?.start_communication_basis, SETUP.startCommunicationBasis);
    assert.equal(row?.logo_type, 'image/svg+xml');
    assert.deepEqual(row?.substitute_power, { ...SETUP.substitutePower, email: null });
    assert.deepEqual(audits.sort(), ['administration.create', 'administration.update']);
  });

  test('then user create works on that database', async () => {
    const created = await pratica(['user', 'create', '--role', 'admin', '--email', 'capo@provincia.fc.it', '--name', 'Capo']);
    assert.equal(created.code, 0, created.stderr);
  });

  test('without --file and without a terminal it says --file is needed', async () => {
    const result = await pratica(['setup']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /^errore: manca --file/);
  });

  test('the interactive questions give the same data as the file; an empty answer keeps the stored value', async () => {
    const answers = ['Provincia di Forlì-Cesena', '', '', '80001510405', '', '', 'praticaonline@provincia.fc.it', 'https://www.provincia.fc.it', '', '', '', '', '', 'Segretario generale', '', '', '', ''];
    const asked: string[] = [];
    const input = await askSetup(async (question) => { asked.push(question); return answers.shift() ?? ''; }, { name: 'Provincia', pec: null });
    assert.deepEqual(input.data, { name: 'Provincia di Forlì-Cesena', fiscalCode: '80001510405', supportEmail: 'praticaonline@provincia.fc.it', website: 'https://www.provincia.fc.it', substitutePower: { holder: 'Segretario generale' } });
    assert.match(asked[0]!, /Nome dell'amministrazione .* \* \[Provincia\]: $/);
  });
});
