import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { generateCases } from '../../src/application/generator.ts';
import { recordEvent } from '../../src/application/cases.ts';
import { termColumnsOf } from '../../src/application/case-terms.ts';
import { createTestApp } from '../support/app.ts';
import type { TestApp } from '../support/app.ts';
import { TODAY, officeId, systemActor } from '../support/fixtures.ts';
import { ADMIN, VIAB_MANAGER, StaffClient, text } from '../backoffice/client.ts';

/** Parses the CSV we write (no embedded separators in these figures except quoted names). */
function parseCsv(body: string, separator: string): string[][] {
  const rows: string[][] = [];
  for (const line of body.replace(/^\uFEFF/, '').trimEnd().split('\r\n')) {
    const cells: string[] = [];
    let cell = '';
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
      const ch = line[i]!;
      if (quoted) {
        if (ch === '"' && line[i + 1] === '"') { cell += '"'; i++; } else if (ch === '"') quoted = false; else cell += ch;
      } else if (ch === '"') quoted = true;
      else if (ch === separator) { cells.push(cell); cell = ''; } else cell += ch;
    }
    cells.push(cell);
    rows.push(cells);
  }
  return rows;
}

describe('reports on the web: public transparency page, open data, back-office reports, exports, satisfaction', () => {
  let testApp: TestApp;
  let admin: StaffClient;
  let viab: StaffClient;
  before(async () => {
    testApp = await createTestApp();
    await generateCases(testApp.database.db, { count: 500, today: TODAY, seed: 11 });
    admin = new StaffClient(testApp.app);
    await admin.signIn(ADMIN);
    viab = new StaffClient(testApp.app);
    await viab.signIn(VIAB_MANAGER);
  });
  after(() => testApp.close());

  test('the public page lists every procedure with term, concluded cases, on-time share and mean net duration, without personal data', async () => {
    const page = await testApp.app.inject('/trasparenza/tempi-procedimentali?anno=2025');
    assert.equal(page.statusCode, 200);
    const body = text(page.body);
    assert.match(body, /Monitoraggio tempi procedimentali/);
    assert.match(body, /Autorizzazione al transito di trasporti eccezionali/);
    assert.match(body, /15 gg\. da ricevimento domanda/);
    assert.match(page.body, /href="\/trasparenza\/procedimenti\/TE-01"/);
    // no case code, applicant or subject on a public page
    assert.doesNotMatch(page.body, /FC-[A-Z0-9]{4}-[A-Z0-9]{4}/);
    assert.doesNotMatch(body, /Richiedente \d+|Pratica generata/);
    // the figures shown are those of the open data
    const json = (await testApp.app.inject('/api/v1/open-data/tempi-procedimentali.json?anno=2025')).json();
    const te = json.procedimenti.find((p: { codice: string }) => p.codice === 'TE-01');
    assert.equal(te.dati_sufficienti, true);
    assert.ok(te.pratiche_concluse >= 5);
    const share = String(te.quota_entro_termine_pct).replace('.', ',');
    assert.match(body, new RegExp(`Autorizzazione al transito di trasporti eccezionali .*?${te.pratiche_concluse} ${share}%`));
  });

  test('a procedure with fewer than 5 cases concluded shows "dati insufficienti" and no figure, on the page and in the open data', async () => {
    // a new procedure card with 3 cases concluded this year
    const db = testApp.database.db;
    const procedure = await db.selectFrom('procedures').selectAll().where('code', '=', 'PE-02').executeTakeFirstOrThrow();
    const id = randomUUID();
    await db.insertInto('procedures').values({ ...procedure, id, code: 'PE-03', name: 'Tesserino per la pesca dilettantistica', created_at: undefined }).execute();
    for (let i = 0; i < 3; i++) {
      const code = `FC-PESC-000${i}`;
      await db.insertInto('cases').values({
        id: randomUUID(), code, procedure_id: id, office_id: procedure.office_id, subject: 'Tesserino', applicant_name: 'Mario Bianchi',
        received_on: '2026-03-02', state: 'enrolled', deadline: '2026-03-23', password_hash: 'x', ...termColumnsOf(procedure),
      }).execute();
      await recordEvent({ db, clock: testApp.clock }, systemActor, code, { type: 'start', effectiveOn: '2026-03-03' });
      await recordEvent({ db, clock: testApp.clock }, systemActor, code, { type: 'close', effectiveOn: '2026-03-20', outcome: 'accepted' });
    }
    const page = await testApp.app.inject('/trasparenza/tempi-procedimentali?anno=2026');
    const row = /Tesserino per la pesca dilettantistica.*?<\/tr>/s.exec(page.body)?.[0] ?? '';
    assert.equal((text(row).match(/dati insufficienti/g) ?? []).length, 3, text(row));
    assert.doesNotMatch(text(row), /\b3\b/);
    assert.doesNotMatch(page.body, /Mario Bianchi/);
    const json = (await testApp.app.inject('/api/v1/open-data/tempi-procedimentali.json?anno=2026')).json();
    const line = json.procedimenti.find((p: { codice: string }) => p.codice === 'PE-03');
    assert.deepEqual(
      [line.dati_sufficienti, line.pratiche_concluse, line.quota_entro_termine_pct, line.durata_media_netta_gg],
      [false, null, null, null],
    );
  });

  test('the procedure card carries the art. 35 fields: office, responsible, term, silenzio-assenso, substitute power, remedies', async () => {
    const page = await testApp.app.inject('/trasparenza/procedimenti/PE-01');
    assert.equal(page.statusCode, 200);
    const body = text(page.body);
    for (const expected of [
      'Licenza di pesca nelle acque interne', 'L.R. Emilia-Romagna 11/2012', '30 gg. dalla presentazione della domanda',
      'si intende accolta', 'Ufficio Caccia e pesca', 'Dott. Stefano Rossi', 'cacciapesca@cert.provincia-fc.example',
      'potere sostitutivo', 'Segretario generale', 'TAR',
    ]) assert.ok(body.includes(expected), expected);
    assert.equal((await testApp.app.inject('/trasparenza/procedimenti/NOPE')).statusCode, 404);
  });

  test('open data: JSON without a token, CSV in UTF-8 with BOM and the same figures', async () => {
    const json = await testApp.app.inject('/api/v1/open-data/tempi-procedimentali.json?anno=2025');
    assert.equal(json.statusCode, 200);
    assert.equal(json.headers['access-control-allow-origin'], '*');
    const data = json.json();
    assert.equal(data.anno, 2025);
    assert.equal(data.soglia_minima_pratiche, 5);
    const csv = await testApp.app.inject('/api/v1/open-data/tempi-procedimentali.csv?anno=2025');
    assert.equal(csv.statusCode, 200);
    assert.match(String(csv.headers['content-type']), /^text\/csv; charset=utf-8/);
    assert.equal(csv.rawPayload.subarray(0, 3).toString('hex'), 'efbbbf');
    const rows = parseCsv(csv.body, ',');
    assert.equal(rows[0]!.join(','), 'anno,dal,al,codice,procedimento,ufficio,termine,silenzio_assenso,dati_sufficienti,pratiche_concluse,quota_entro_termine_pct,durata_media_netta_gg');
    assert.equal(rows.length - 1, data.procedimenti.length);
    for (const [i, p] of data.procedimenti.entries()) {
      const r = rows[i + 1]!;
      assert.deepEqual([r[3], r[4], r[9], r[10], r[11]], [p.codice, p.procedimento, String(p.pratiche_concluse ?? ''), String(p.quota_entro_termine_pct ?? ''), String(p.durata_media_netta_gg ?? '')]);
    }
    const bad = await testApp.app.inject('/api/v1/open-data/tempi-procedimentali.json?anno=tutti');
    assert.equal(bad.statusCode, 400);
    assert.match(String(bad.headers['content-type']), /problem\+json/);
  });

  test('the back-office report needs a sign-in, and an office manager sees only their office', async () => {
    const anonymous = await testApp.app.inject('/uffici/report');
    assert.equal(anonymous.statusCode, 303);
    assert.match(String(anonymous.headers.location), /^\/uffici\/accesso\?next=/);

    const all = text((await admin.get('/uffici/report?dal=2025-01-01&al=2025-12-31')).body);
    assert.match(all, /Totale ufficio VIAB/);
    assert.match(all, /Totale ufficio AMB/);
    const own = await viab.get('/uffici/report?dal=2025-01-01&al=2025-12-31');
    assert.equal(own.statusCode, 200);
    assert.match(text(own.body), /TE-01/);
    assert.doesNotMatch(text(own.body), /AS-01|Totale ufficio AMB/);
    // another office's procedure or cases: not found, not an empty report
    assert.equal((await viab.get('/uffici/report?procedimento=AS-01')).statusCode, 404);
    assert.equal((await viab.get('/uffici/report/pratiche?dato=closed&ufficio=AMB')).statusCode, 404);
  });

  test('the page, the JSON and the CSV exports carry the same figures; a figure links to the cases behind it', async () => {
    const query = 'dal=2025-01-01&al=2025-12-31&ufficio=VIAB';
    const page = await admin.get(`/uffici/report?${query}`);
    const report = JSON.parse((await admin.get(`/uffici/report/export.json?${query}`)).body);
    const te = report.procedures.find((p: { procedureCode: string }) => p.procedureCode === 'TE-01').figures;
    assert.ok(te.closed > 5 && te.closed > te.closedOnTime);

    const csv = await admin.get(`/uffici/report/export.csv?${query}`);
    assert.match(String(csv.headers['content-disposition']), /attachment; filename="tempi-procedimentali-2025-01-01-2025-12-31\.csv"/);
    assert.ok(csv.body.startsWith('\uFEFF'));
    const rows = parseCsv(csv.body, ';');
    const header = rows[0]!;
    const line = rows.find((r) => r[2] === 'TE-01')!;
    const cell = (name: string) => line[header.indexOf(name)];
    assert.equal(cell('concluse'), String(te.closed));
    assert.equal(cell('quota_entro_termine_pct'), String(te.onTimeShare).replace('.', ','));
    assert.equal(cell('durata_media_netta_gg'), String(te.meanNetDays).replace('.', ','));
    assert.equal(cell('sospensioni_art2c7'), String(te.suspensions.art2c7.count));
    assert.deepEqual(rows.map((r) => r[0]), ['livello', 'procedimento', 'procedimento', 'procedimento', 'ufficio']);

    // the page shows the same numbers, and the "concluded" figure of TE-01 links to exactly those cases
    const row = /<th scope="row"[^>]*>TE-01 - Autorizzazione al transito.*?<\/tr>/s.exec(page.body)?.[0] ?? '';
    assert.match(text(row), new RegExp(`${String(te.onTimeShare).replace('.', ',')}%`));
    const href = new RegExp(`href="([^"]*dato=closed-late[^"]*)"`).exec(
      [...page.body.matchAll(/<th scope="row"[^>]*>TE-01 - Autorizzazione al transito.*?<\/tr>/gs)][1]?.[0] ?? '',
    )?.[1];
    assert.ok(href, 'the longest delay links to the late cases');
    const late = await admin.get(href!.replace(/&amp;/g, '&'));
    assert.equal(late.statusCode, 200);
    const lateBody = text(late.body);
    assert.match(lateBody, new RegExp(`Pratiche 1-\\d+ di ${te.closed - te.closedOnTime}`));
    assert.match(lateBody, /Scadenza .* Giorni di ritardo/);
    assert.match(late.body, /href="\/uffici\/pratiche\/FC-/);
  });

  test('charts are server-side SVG images with title, description and a data table beside', async () => {
    const page = await admin.get('/uffici/report?dal=2025-01-01&al=2025-12-31');
    const svgs = page.body.match(/<svg[^>]*>[\s\S]*?<\/svg>/g) ?? [];
    assert.equal(svgs.length, 3);
    for (const svg of svgs) {
      assert.match(svg, /role="img"/);
      assert.match(svg, /<title id="[^"]+">[^<]+<\/title>/);
      assert.match(svg, /<desc id="[^"]+">[^<]+<\/desc>/);
      assert.doesNotMatch(svg, /style=/);
    }
    const body = text(page.body);
    assert.match(body, /Quota di pratiche concluse entro il termine, per mese .* Mese Entro il termine Concluse 2025-01/);
    assert.match(body, /Pratiche aperte oggi per giorni alla scadenza/);
    assert.match(body, /scadute da oltre 30 giorni/);
  });

  test('a bad period is refused with a clear message', async () => {
    const page = await admin.get('/uffici/report?dal=2025-12-31&al=2025-01-01');
    assert.equal(page.statusCode, 422);
    assert.match(text(page.body), /la data iniziale segue quella finale/);
  });

  test('satisfaction results: only groups of at least 5 answers, comments without any link to a case', async () => {
    const db = testApp.database.db;
    const viabId = await officeId(db, 'VIAB');
    const ambId = await officeId(db, 'AMB');
    const capeId = await officeId(db, 'CAPE');
    // answers as given before migration 0008: office and month, no procedure
    const answer = (office: string, overall: number, comment = '') => ({
      id: randomUUID(), month: '2026-10-01', office_id: office, clarity: 4, timeliness: overall, courtesy: 5, overall, comment,
    });
    await db.insertInto('questionnaire_answers').values([
      answer(viabId, 5, 'Molto chiari, grazie'), answer(viabId, 4), answer(viabId, 4), answer(viabId, 3, 'Tempi lunghi'), answer(viabId, 5), answer(viabId, 2),
      answer(ambId, 1, 'Un commento da non mostrare'), answer(ambId, 2), answer(ambId, 3), answer(ambId, 4),
    ]).execute();
    // the total (10) minus VIAB (6) would give AMB's 4 away: VIAB's figures are withheld, not its comments
    const withheld = text((await admin.get('/uffici/report/soddisfazione?dal=2026-01&al=2026-11')).body);
    const withheldViab = /VIAB - .*?(?=Totale)/.exec(withheld)?.[0] ?? '';
    assert.match(withheldViab, /Risposte: non indicate Risultati non mostrati: con gli altri dati della pagina permetterebbero di ricavare per differenza/);
    assert.doesNotMatch(withheldViab, /Giudizio complessivo/);
    assert.match(withheldViab, /Molto chiari, grazie/);
    assert.match(withheld, /Totale Risposte: 10 /);

    // one more answer elsewhere: the offices not shown hold 5 answers together, VIAB is shown
    await db.insertInto('questionnaire_answers').values(answer(capeId, 3)).execute();
    const page = await admin.get('/uffici/report/soddisfazione?dal=2026-01&al=2026-11');
    assert.equal(page.statusCode, 200);
    const body = text(page.body);
    const viabPart = /VIAB - .*?(?=Totale)/.exec(body)?.[0] ?? '';
    assert.match(viabPart, /Risposte: 6/);
    // overall: 5,4,4,3,5,2 → one 2, one 3, two 4, two 5; mean 3.8
    assert.match(viabPart, /Giudizio complessivo 0 1 1 2 2 3,8/);
    assert.match(viabPart, /Molto chiari, grazie/);
    assert.doesNotMatch(viabPart, /Per procedimento/, 'answers without a procedure are in no procedure');
    const ambPart = /AMB - .*?(?=CAPE - )/.exec(body)?.[0] ?? '';
    assert.match(ambPart, /Risposte: < 5/);
    assert.match(ambPart, /dati insufficienti/);
    assert.doesNotMatch(body, /Un commento da non mostrare/);
    assert.doesNotMatch(page.body, /FC-[A-Z0-9]{4}-[A-Z0-9]{4}/);
    // an office manager sees their own office only
    const own = text((await viab.get('/uffici/report/soddisfazione?dal=2026-01&al=2026-11')).body);
    assert.match(own, /VIAB - /);
    assert.doesNotMatch(own, /AMB - /);
  });

  test('satisfaction results per procedure: rows under each office, shown from 5 answers, comments only per office', async () => {
    const db = testApp.database.db;
    const procedures = new Map((await db.selectFrom('procedures').select(['id', 'code', 'office_id']).execute()).map((p) => [p.code, p]));
    const answer = (code: string | null, overall: number, comment = '', office = code ? procedures.get(code)!.office_id : '') => ({
      id: randomUUID(), month: '2025-10-01', office_id: office, procedure_id: code ? procedures.get(code)!.id : null,
      clarity: 4, timeliness: overall, courtesy: 5, overall, comment,
    });
    const viabId = await officeId(db, 'VIAB');
    await db.insertInto('questionnaire_answers').values([
      ...[5, 4, 4, 3, 5, 2].map((overall, i) => answer('TE-01', overall, i === 0 ? 'Procedura chiara' : '')),
      answer('AC-01', 1, 'Commento di un procedimento con poche risposte'), answer('AC-01', 2),
      answer(null, 3, '', viabId), answer(null, 3, '', viabId), answer(null, 3, '', viabId),
      // AMB: AS-01 6, IN-01 2: the office minus AS-01 would give IN-01 away
      ...[4, 4, 4, 4, 4, 4].map((overall) => answer('AS-01', overall)), answer('IN-01', 1), answer('IN-01', 1),
    ]).execute();
    const page = await admin.get('/uffici/report/soddisfazione?dal=2025-01&al=2025-12');
    assert.equal(page.statusCode, 200);
    const body = text(page.body);
    const viabPart = /VIAB - .*?(?=Totale)/.exec(body)?.[0] ?? '';
    assert.match(viabPart, /Risposte: 11 /);
    // one row group per procedure: its name heads the four question rows
    assert.match(page.body, /<caption class="visually-hidden">Per procedimento: Servizio Viabilità/);
    assert.match(page.body, /<th scope="rowgroup" rowspan="4" class="fw-normal">TE-01 - Autorizzazione al transito di trasporti eccezionali<\/th>/);
    assert.match(viabPart, /Per procedimento .*? Procedimento Risposte Domanda Voto 1 Voto 2 Voto 3 Voto 4 Voto 5 Media \(1-5\) AC-01/);
    assert.match(viabPart, /TE-01 - Autorizzazione al transito di trasporti eccezionali 6 Chiarezza delle informazioni 0 0 0 6 0 4 .*? Giudizio complessivo 0 1 1 2 2 3,8/);
    const acRow = /<th scope="row" class="fw-normal">AC-01 - .*?<\/tr>/s.exec(page.body)?.[0] ?? '';
    assert.match(text(acRow).trim(), /^AC-01 - Concessione di accesso carraio su strada provinciale < 5 dati insufficienti: Meno di 5 risposte/);
    // comments: in the office's list, never under a procedure
    const procedureTable = /Per procedimento.*?(?=Commenti)/.exec(viabPart)?.[0] ?? '';
    assert.doesNotMatch(procedureTable, /Procedura chiara|Commento di un procedimento/);
    assert.match(viabPart, /Commenti .*Procedura chiara/);
    assert.match(viabPart, /Commenti .*Commento di un procedimento con poche risposte/);
    const ambPart = /AMB - .*?(?=CAPE - )/.exec(body)?.[0] ?? '';
    assert.match(ambPart, /Risposte: 8 /);
    assert.match(ambPart, /AS-01 - Autorizzazione allo scarico di acque reflue non indicate Risultati non mostrati/);
    assert.match(ambPart, /IN-01 - Informazioni ambientali su richiesta < 5 dati insufficienti/);
    assert.doesNotMatch(page.body, /FC-[A-Z0-9]{4}-[A-Z0-9]{4}/);

    const english = text((await admin.get('/uffici/report/soddisfazione?dal=2025-01&al=2025-12&lang=en')).body);
    assert.match(english, /By procedure By procedure: .*? Procedure Answers Question Rating 1/);
    assert.match(english, /AS-01 - .*? not given Results not shown: with the other figures on the page/);
  });
});
