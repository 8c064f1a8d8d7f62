import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { DatabaseHandle } from '../../src/adapters/db/database.ts';
import { caseHashIsOutdated, hashPassword, hashPasswordArgon2, verifyPassword } from '../../src/application/credentials.ts';
import { storeCaseCredentials } from '../../src/application/notifications.ts';
import { sendablePassword } from '../../src/application/notifications/passwords.ts';
import type { CredentialsKeys } from '../../src/application/notifications/secrets.ts';
import { signInWithPassword } from '../../src/application/portal/sign-in.ts';
import { SECRET, enrol, notificationDatabase, services } from '../notifications/harness.ts';

describe('case passwords: HMAC-SHA-256 under a key from CREDENTIALS_KEY, older hashes upgraded at sign-in', () => {
  let database: DatabaseHandle;
  const keys = services.credentialsKeys;
  const deps = (credentialsKeys: CredentialsKeys) => ({ ...services, credentialsKeys, db: database.db, secret: SECRET });
  let address = 0;
  const signIn = (code: string, password: string, under = keys) => signInWithPassword(deps(under), { code, password, address: `192.0.2.${++address}` });
  const hashOf = async (caseId: string) => (await database.db.selectFrom('cases').select('password_hash').where('id', '=', caseId).executeTakeFirstOrThrow()).password_hash;

  before(async () => {
    database = await notificationDatabase();
  });
  after(async () => {
    await database.close();
  });

  it('a new hash is a keyed HMAC: it verifies the password as typed from an SMS, and nothing else', async () => {
    const hash = await hashPassword('ABCD-EFGH-JKLM-NPQR', keys);
    assert.match(hash, /^hmac-sha256\$[0-9a-f]{8}\$[\w-]{43}$/);
    assert.equal(await verifyPassword(hash, ' abcd efgh-jklm-npqr ', keys), true);
    assert.equal(await verifyPassword(hash, 'ABCD-EFGH-JKLM-NPQS', keys), false);
    // another server's key: the same password does not verify, a stolen table confirms nothing without the key
    assert.equal(await verifyPassword(hash, 'ABCD-EFGH-JKLM-NPQR', { current: randomBytes(32), previous: [] }), false);
    assert.equal(caseHashIsOutdated(hash, keys), false);
  });

  it('an argon2id hash from before keeps signing in, and the first sign-in replaces it with the HMAC, resealing the same password', async () => {
    const citizen = await enrol(database.db, { channels: ['email'] });
    const password = 'WXYZ-2345-6789-ABCD';
    const old = await hashPasswordArgon2(password);
    await database.db.updateTable('cases').set({ password_hash: old }).where('id', '=', citizen.caseId).execute();
    await storeCaseCredentials(database.db, keys, { caseId: citizen.caseId, password, passwordHash: old });

    assert.equal((await signIn(citizen.code, 'wxyz-2345-6789-abcd')).ok, true);
    const upgraded = await hashOf(citizen.caseId);
    assert.match(upgraded, /^hmac-sha256\$/);
    assert.equal(await verifyPassword(upgraded, password, keys), true);
    // the sealed copy opens with the new hash: the next message carries the same password, no reissue
    const sealed = await database.db.selectFrom('case_credentials').select('sealed').where('case_id', '=', citizen.caseId).executeTakeFirstOrThrow();
    assert.equal(await sendablePassword(database.db, { caseId: citizen.caseId, passwordHash: upgraded, sealed: sealed.sealed }, new Date(), keys), password);
    assert.equal((await signIn(citizen.code, password)).ok, true);
    assert.equal(await hashOf(citizen.caseId), upgraded, 'upgraded once');
    assert.equal((await signIn(citizen.code, 'WXYZ-2345-6789-ABCE')).ok, false);
  });

  it('after a key rotation, a hash under the previous key verifies and is upgraded to the new key', async () => {
    const citizen = await enrol(database.db, { channels: ['email'] });
    const password = 'QRST-UVWX-YZ23-4567';
    const underOld = await hashPassword(password, keys);
    await database.db.updateTable('cases').set({ password_hash: underOld }).where('id', '=', citizen.caseId).execute();
    await storeCaseCredentials(database.db, keys, { caseId: citizen.caseId, password, passwordHash: underOld });
    const rotated = { current: randomBytes(32), previous: [keys.current] };
    assert.equal(caseHashIsOutdated(underOld, rotated), true);
    assert.equal((await signIn(citizen.code, password, rotated)).ok, true);
    const upgraded = await hashOf(citizen.caseId);
    assert.notEqual(upgraded, underOld);
    assert.equal(caseHashIsOutdated(upgraded, rotated), false);
    // the sealed copy was sealed again under the new key: the messages keep carrying the same password
    const sealed = await database.db.selectFrom('case_credentials').select('sealed').where('case_id', '=', citizen.caseId).executeTakeFirstOrThrow();
    assert.equal(await sendablePassword(database.db, { caseId: citizen.caseId, passwordHash: upgraded, sealed: sealed.sealed }, new Date(), rotated), password);
  });
});
