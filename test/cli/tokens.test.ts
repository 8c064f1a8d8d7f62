import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiTokenCache } from '../../src/application/tokens.ts';
import { commandsDatabase } from '../support/commands.ts';

const commands = commandsDatabase('pratica-tokens-', { DEMO_DATA: 'false' });
const { pratica } = commands;

describe('pratica token list and revoke', () => {
  test('a created token is listed, its first use recorded, and once revoked it opens nothing', async () => {
    const created = await pratica(['token', 'create', '--name', 'protocollo informatico']);
    assert.equal(created.code, 0, created.stderr);
    const token = /^po_[A-Za-z0-9_-]{43}$/m.exec(created.stdout)![0];

    const listed = await pratica(['token', 'list']);
    assert.equal(listed.code, 0, listed.stderr);
    const [header, line] = listed.stdout.trim().split('\n');
    assert.match(header!, /^ID +NOME +UFFICIO +CREATO +ULTIMO USO +REVOCATO$/);
    assert.match(line!, /^[0-9a-f-]{36} +protocollo informatico +tutti +\d\d\/\d\d\/\d{4} \d\d:\d\d +— +—$/);
    const id = line!.split(' ')[0]!;

    const database = await commands.open();
    try {
      assert.ok(await new ApiTokenCache().authenticate(database.db, token, new Date()));
    } finally {
      await database.close();
    }
    assert.match((await pratica(['token', 'list'])).stdout, /protocollo informatico +tutti +\S+ \S+ +\d\d\/\d\d\/\d{4} \d\d:\d\d +—/, 'the last use is shown');

    const revoked = await pratica(['token', 'revoke', id]);
    assert.equal(revoked.code, 0, revoked.stderr);
    assert.match(revoked.stdout, /Token "protocollo informatico" revocato/);
    assert.match((await pratica(['token', 'revoke', id])).stdout, /era già revocato/);
    assert.doesNotMatch((await pratica(['token', 'list'])).stdout.split('\n')[1]!, /—$/, 'the revocation time is listed');
    const again = await commands.open();
    try {
      assert.equal(await new ApiTokenCache().authenticate(again.db, token, new Date()), undefined);
      const log = await again.db.selectFrom('audit_log').select(['actor', 'entity_id']).where('action', '=', 'token.revoke').execute();
      assert.deepEqual(log.map((l) => l.entity_id), [id]);
    } finally {
      await again.close();
    }
  });

  test('revoke without an id, or with an unknown one, exits with 2 in Italian', async () => {
    const missing = await pratica(['token', 'revoke']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /uso: pratica token revoke ID/);
    const unknown = await pratica(['token', 'revoke', '00000000-0000-4000-8000-000000000000']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /Token "00000000-0000-4000-8000-000000000000" non trovato/);
    assert.equal((await pratica(['token', 'revoke', 'nonsense'])).code, 2);
  });
});
