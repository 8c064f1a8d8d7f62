import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setUpAdministration } from '../../src/application/administration.ts';
import type { Actor } from '../../src/application/audit.ts';
import { FrameProvider } from '../../src/application/frame.ts';
import type { DatabaseHandle } from '../../src/adapters/db/database.ts';
import { createTestDatabase } from '../support/database.ts';

const ACTOR: Actor = { kind: 'cli', id: 'test', name: 'test', officeId: null };

describe('the frame provider', () => {
  let database: DatabaseHandle;
  let reads = 0;
  before(async () => {
    database = await createTestDatabase();
    await setUpAdministration(database.db, ACTOR, { name: 'Comune di Bertinoro', supportEmail: 'urp@comune.bertinoro.fc.it', website: 'https://www.comune.bertinoro.fc.it' });
  });
  after(() => database.close());

  /** A provider whose database reads of the administration are counted. */
  function counted(): FrameProvider {
    const db = new Proxy(database.db, {
      get(target, property, receiver) {
        if (property === 'selectFrom') reads++;
        const value = Reflect.get(target, property, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    return new FrameProvider(db);
  }

  test('while the change feed is heard: read once, kept across pages and case changes, read again after a catalogue change', async () => {
    const frame = counted();
    frame.setListening(true);
    reads = 0;
    assert.equal((await frame.administration()).name, 'Comune di Bertinoro');
    assert.equal((await frame.administration()).name, 'Comune di Bertinoro');
    frame.changed('case:5f0c');
    frame.changed('answer');
    assert.equal((await frame.administration()).name, 'Comune di Bertinoro');
    assert.equal(reads, 1);
    await setUpAdministration(database.db, ACTOR, { name: 'Comune di Meldola' });
    frame.changed('*');
    assert.equal((await frame.administration()).name, 'Comune di Meldola');
    assert.equal(reads, 2);
  });

  test('without the change feed every page reads it afresh', async () => {
    const frame = counted();
    reads = 0;
    await frame.administration();
    await frame.administration();
    assert.equal(reads, 2);
    frame.setListening(true);
    await frame.administration();
    frame.setListening(false);
    await frame.administration();
    assert.equal(reads, 4);
  });
});
