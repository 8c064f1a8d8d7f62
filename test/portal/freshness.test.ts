/**
 * The case page is kept in memory by each web process (src/application/case-cache.ts); a change made
 * anywhere else (another process, a worker, a script: here the use cases called directly, not through
 * this app) must reach the citizen as soon as the database tells of it.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { recordEvent } from '../../src/application/cases.ts';
import { resendCredentials } from '../../src/application/notifications.ts';
import { submitAnswer } from '../../src/application/portal/questionnaire.ts';
import { systemActor } from '../support/fixtures.ts';
import { TEST_SESSION_SECRET } from '../support/app.ts';
import { Visitor, createPortalApp, demoCase, eventually, visibleText } from './support.ts';
import type { PortalTestApp } from './support.ts';

describe('the case page follows changes made outside this web process', () => {
  let testApp: PortalTestApp;
  before(async () => {
    testApp = await createPortalApp();
  });
  after(() => testApp.close());

  const signedIn = async (subjectWord: string, address: string) => {
    const visitor = new Visitor(testApp, address);
    const { id, code } = await demoCase(testApp, subjectWord);
    assert.equal((await visitor.signIn(code)).statusCode, 303);
    const read = async () => visibleText((await visitor.get('/pratica/dettaglio')).body);
    return { visitor, id, code, read };
  };

  test('a state change recorded elsewhere shows on the next read', async () => {
    const { code, read } = await signedIn('gru semovente', '203.0.113.1');
    assert.match(await read(), /Stato: in corso/);
    assert.match(await read(), /Stato: in corso/, 'read twice: the second comes from memory');
    await recordEvent({ ...testApp.services, db: testApp.database.db }, systemActor, code, {
      type: 'suspend', kind: 'art2c7', effectiveOn: '2026-11-26', reason: 'Manca la visura camerale', notes: '',
    });
    const page = await eventually(read, (text) => /Stato: sospesa/.test(text));
    assert.match(page, /Stato: sospesa/);
    assert.match(page, /Manca la visura camerale/);
  });

  test('a change to the office\'s card shows on every case page', async () => {
    const { read } = await signedIn('acque meteoriche', '203.0.113.2');
    assert.match(await read(), /\+39 0543 714300/);
    await testApp.database.db.updateTable('offices').set({ phone: '+39 0543 999999' }).where('phone', '=', '+39 0543 714300').execute();
    const page = await eventually(read, (text) => /\+39 0543 999999/.test(text));
    assert.match(page, /\+39 0543 999999/);
    assert.doesNotMatch(page, /\+39 0543 714300/);
  });

  test('new credentials sent by the office end the session opened with the old ones', async () => {
    const { visitor, code, read } = await signedIn('acque meteoriche', '203.0.113.3');
    assert.match(await read(), /Stato:/);
    await resendCredentials({ ...testApp.services, db: testApp.database.db }, systemActor, code, { newPassword: true });
    const { statusCode } = await eventually(() => visitor.get('/pratica/dettaglio'), (page) => page.statusCode !== 200);
    assert.equal(statusCode, 401, 'the old session is refused');
  });

  test('an answer given in another process removes the questionnaire from the page', async () => {
    const { id, read } = await signedIn('gru semovente', '203.0.113.4');
    assert.match(await read(), /Questionario di soddisfazione/);
    assert.doesNotMatch(await read(), /questionario per questa pratica è stato compilato/);
    await submitAnswer({ db: testApp.database.db, clock: testApp.clock, secret: TEST_SESSION_SECRET }, id, {
      clarity: '4', timeliness: '4', courtesy: '5', overall: '4', comment: '',
    });
    const page = await eventually(read, (text) => /questionario per questa pratica è stato compilato/.test(text));
    assert.match(page, /questionario per questa pratica è stato compilato/);
  });
});
