import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { recordEvent } from '../../src/application/cases.ts';
import { systemActor } from '../support/fixtures.ts';
import { Visitor, createPortalApp, demoCase, visibleText } from './support.ts';
import type { PortalTestApp } from './support.ts';

describe('the case page', () => {
  let testApp: PortalTestApp;
  let address = 10;
  const readCase = async (subjectWord: string, lang = ''): Promise<string> => {
    const visitor = new Visitor(testApp, `203.0.113.${address++}`);
    const { code } = await demoCase(testApp, subjectWord);
    assert.equal((await visitor.signIn(code)).statusCode, 303);
    const page = await visitor.get(`/pratica/dettaglio${lang}`);
    assert.equal(page.statusCode, 200);
    return visibleText(page.body);
  };
  before(async () => {
    testApp = await createPortalApp();
  });
  after(() => testApp.close());

  test('shows every element of art. 8 L. 241/1990 for a suspended case', async () => {
    const page = await readCase('acque meteoriche');
    // office with address, phone, e-mail and PEC; the responsible officer with phone and e-mail
    for (const text of [
      'Servizio Ambiente - Autorizzazioni agli scarichi', 'Piazza Morgagni 9, 47121 Forlì', '+39 0543 714300', 'ambiente@provincia-fc.example',
      'ambiente@cert.provincia-fc.example', 'Dott.ssa Elena Magnani', '+39 0543 714310', 'elena.magnani@provincia-fc.example',
    ]) assert.ok(page.includes(text), `shows ${text}`);
    // the procedure: name, legal basis, term as on the card; the received date
    assert.match(page, /Autorizzazione allo scarico di acque reflue/);
    assert.match(page, /D\.Lgs\. 152\/2006, artt\. 101 e 124/);
    assert.match(page, /Tempo di erogazione \(scheda del procedimento\) 90 giorni/);
    assert.match(page, /Domanda ricevuta il 27\/10\/2026/);
    // state, deadline with days left, how it was computed, every suspension with kind, dates and reason
    assert.match(page, /Stato: sospesa/);
    assert.match(page, /24\/02\/2027 \(mancano 90 giorni; scadenza provvisoria/);
    assert.match(page, /scadenza base 25\/01\/2027/);
    assert.match(page, /Integrazione documentale \(art\. 2 c\.7 L\. 241\/1990\) 14\/11\/2026 14\/12\/2026 30 Manca la planimetria/);
    // the dated history (a timeline) with reasons and notes, and what happens next
    assert.match(page, /14\/11\/2026 Sospensione/);
    assert.match(page, /Inviare la planimetria firmata da tecnico abilitato via PEC/);
    assert.match(page, /28\/10\/2026 Avvio del procedimento/);
    assert.match(page, /24\/02\/2027 Termine entro cui la pratica verrà conclusa 24\/02\/2027/);
    assert.match(page, /Cosa succede ora Il termine è sospeso in attesa delle integrazioni richieste/);
    // the art. 8 elements, so the page can serve as the start communication
    for (const letter of ['a)', 'b)', 'c)', 'c-bis)', 'c-ter)', 'd)', 'd-bis)']) assert.ok(page.includes(`${letter} `), `art. 8 letter ${letter}`);
    assert.match(page, /titolare del potere sostitutivo: Segretario generale della Provincia/);
  });

  test('shows no more personal data than needed: contacts masked, no applicant name', async () => {
    const page = await readCase('acque meteoriche');
    assert.doesNotMatch(page, /Logistica Adriatica/);
    assert.doesNotMatch(page, /richiedente10@cittadini\.example/);
    assert.match(page, /r•••@cittadini\.example/);
    assert.match(page, /\+39 ••• •••\d{3}/);
  });

  test('an overdue case names the substitute-power holder and how to reach them', async () => {
    const page = await readCase('Rinnovo autorizzazione allo scarico industriale');
    assert.match(page, /scaduto da \d+ giorni/);
    assert.match(page, /Il termine è scaduto/);
    assert.match(page, /Titolare del potere sostitutivo Segretario generale della Provincia/);
    assert.match(page, /segreteria\.generale@cert\.provincia-fc\.example/);
    assert.match(page, /Il termine per concludere il procedimento è scaduto il \d{2}\/\d{2}\/\d{4} e l'ufficio non l'ha ancora concluso/);
    assert.doesNotMatch(page, /deve concluderla entro/, 'an overdue case is not told a date already passed as its limit');
  });

  test('a case closed late states the legal term and the time actually taken', async () => {
    const page = await readCase('fabbricato residenziale');
    assert.match(page, /Stato: chiusa/);
    assert.match(page, /esito: accolta/);
    assert.match(page, /oltre il termine \(art\. 2 c\.9-quinquies L\. 241\/1990\): termine di legge \d{2}\/\d{2}\/\d{4}, tempo impiegato 100 giorni, 100 al netto delle sospensioni, 39 giorni di ritardo/);
  });

  test('a silenzio-assenso procedure says what silence means; a case not yet started says so', async () => {
    const page = await readCase('licenza di pesca di tipo B');
    assert.match(page, /Silenzio assenso/);
    assert.match(page, /la domanda si considera accolta/);
    assert.match(page, /Stato: registrata, in attesa di avvio/);
    assert.match(page, /Il questionario sarà disponibile dopo l'avvio del procedimento/);
  });

  test('reads in English on request, with the legal explanations kept in Italian', async () => {
    const page = await readCase('acque meteoriche', '?lang=en');
    assert.match(page, /Status: suspended/);
    assert.match(page, /What happens next/);
    assert.match(page, /Notice of the start of the procedure/);
  });

  test('text written by the office comes out escaped', async () => {
    const { code } = await demoCase(testApp, 'gru semovente');
    await recordEvent({ db: testApp.database.db, clock: testApp.clock }, systemActor, code, {
      type: 'suspend', kind: 'art2c7', effectiveOn: '2026-11-25', reason: '<script>alert("x")</script> & <b>bold</b>', notes: '<img src=x onerror=alert(1)>',
    });
    const visitor = new Visitor(testApp, '203.0.113.99');
    await visitor.signIn(code);
    const page = await visitor.get('/pratica/dettaglio');
    assert.doesNotMatch(page.body, /<script>alert/);
    assert.doesNotMatch(page.body, /<img src=x/);
    assert.doesNotMatch(page.body, /<b>bold/);
    // the reader sees the text exactly as written
    assert.match(visibleText(page.body), /Motivo <script>alert\("x"\)<\/script> & <b>bold<\/b>/);
    assert.match(visibleText(page.body), /<img src=x onerror=alert\(1\)>/);
  });
});
