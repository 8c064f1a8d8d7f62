import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp } from '../support/app.ts';
import type { TestApp } from '../support/app.ts';
import { ADMIN, StaffClient, VIAB_MANAGER, caseOfOffice } from './client.ts';
import { formFields, unchangedForm } from './form-reader.ts';

/** Text that HTML would read differently if written unescaped: entities, quotes, tags. */
const HOSTILE = `&lt;b&gt; &amp; "quoted" 'single' <script>x</script> &#39;`;
const SHORT = `&lt;1&gt; &amp; "2"`;

describe('every edit form of the back office saves, unchanged, the very bytes it was given', () => {
  let testApp: TestApp;
  let admin: StaffClient;
  before(async () => {
    testApp = await createTestApp();
    admin = new StaffClient(testApp.app);
    await admin.signIn(ADMIN);
  });
  after(() => testApp.close());

  /** GET the edit form, submit it as a browser would without touching it; the page must accept it. */
  async function resubmit(url: string, submit: Record<string, string> = {}): Promise<void> {
    const page = await admin.get(url);
    assert.equal(page.statusCode, 200);
    const saved = await admin.post(url, unchangedForm(page.body, url, submit), { csrf: false });
    assert.equal(saved.statusCode, 303, `${url}: ${saved.statusCode}`);
  }

  test('the form reader reads what a browser reads: escaped text back as stored, unescaped text changed', () => {
    const html = `<form action="/x"><input name="a" value="&amp;lt;b&amp;gt; &amp;amp; &#34;q&#34;"/><input name="b" value="&lt;b>"/>`
      + `<textarea name="c">\n&amp;lt;\nline</textarea><select name="d"><option value="1">1</option><option value="&amp;" selected>2</option></select></form>`;
    assert.deepEqual(formFields(html, '/x'), [['a', '&lt;b&gt; &amp; "q"'], ['b', '<b>'], ['c', '&lt;\r\nline'], ['d', '&']]);
  });

  test('office', async () => {
    const db = testApp.database.db;
    await db.updateTable('offices').set({ name: HOSTILE, address: `${HOSTILE} 9`, phone: SHORT, opening_hours: HOSTILE }).where('code', '=', 'VIAB').execute();
    const stored = await db.selectFrom('offices').selectAll().where('code', '=', 'VIAB').executeTakeFirstOrThrow();
    await resubmit('/uffici/catalogo/uffici/VIAB');
    assert.deepEqual(await db.selectFrom('offices').selectAll().where('code', '=', 'VIAB').executeTakeFirstOrThrow(), stored);
  });

  test('procedure card, with a description on several lines', async () => {
    const db = testApp.database.db;
    await db.updateTable('procedures').set({
      name: HOSTILE, description: `${HOSTILE}\nseconda riga\n\nterza`, legal_basis: HOSTILE, term_text: `15 gg. da ricevimento domanda ${SHORT}`,
      substitute_name: HOSTILE, substitute_contact: SHORT,
    }).where('code', '=', 'TE-01').execute();
    const stored = await db.selectFrom('procedures').selectAll().where('code', '=', 'TE-01').executeTakeFirstOrThrow();
    await resubmit('/uffici/catalogo/procedimenti/TE-01', { action: 'save' });
    assert.deepEqual(await db.selectFrom('procedures').selectAll().where('code', '=', 'TE-01').executeTakeFirstOrThrow(), stored);
  });

  test('staff member', async () => {
    const db = testApp.database.db;
    await db.updateTable('staff').set({ name: HOSTILE, phone: SHORT }).where('email', '=', VIAB_MANAGER.email).execute();
    const stored = await db.selectFrom('staff').selectAll().where('email', '=', VIAB_MANAGER.email).executeTakeFirstOrThrow();
    await resubmit(`/uffici/catalogo/personale/${stored.id}`);
    assert.deepEqual(await db.selectFrom('staff').selectAll().where('email', '=', VIAB_MANAGER.email).executeTakeFirstOrThrow(), stored);
  });

  test('message templates, e-mail and SMS', async () => {
    const db = testApp.database.db;
    const list = await admin.get('/uffici/catalogo/modelli');
    const links = [...new Set([...list.body.matchAll(/href="(\/uffici\/catalogo\/modelli\/[^"]+)"/g)].map((m) => m[1]!))];
    assert.ok(links.some((l) => l.endsWith('/email')) && links.some((l) => l.endsWith('/sms')), links.join(' '));
    for (const url of [links.find((l) => l.endsWith('/email'))!, links.find((l) => l.endsWith('/sms'))!]) {
      const [kind, channel] = url.split('/').slice(-2) as [string, string];
      // the default text with hostile lines around it, as saved by another administrator
      const page = await admin.get(url);
      const form = unchangedForm(page.body, url, { action: 'save' });
      const body = `\n${HOSTILE}\n${String(form.body).replace(/\r\n/g, '\n')}\n${HOSTILE}`;
      const seeded = await admin.post(url, { ...form, body, ...(channel === 'email' ? { subject: `${form.subject} ${SHORT}` } : {}) }, { csrf: false });
      assert.equal(seeded.statusCode, 303, `${url}: ${seeded.statusCode}`);
      const read = () => db.selectFrom('notification_templates').select(['subject', 'body']).where('kind', '=', kind as never).where('channel', '=', channel as never).executeTakeFirstOrThrow();
      const stored = await read();
      assert.equal(stored.body, body);
      await resubmit(url, { action: 'save' });
      assert.deepEqual(await read(), stored);
    }
  });

  test('case contacts', async () => {
    const db = testApp.database.db;
    const code = await caseOfOffice(db, 'VIAB');
    await db.updateTable('cases').set({ email: 'a&b@example.org', notify_email: true }).where('code', '=', code).execute();
    const read = () => db.selectFrom('cases').select(['mobile', 'email', 'notify_sms', 'notify_email', 'opted_out_at']).where('code', '=', code).executeTakeFirstOrThrow();
    const stored = await read();
    await resubmit(`/uffici/pratiche/${code}/recapiti`);
    assert.deepEqual(await read(), stored);
  });
});
