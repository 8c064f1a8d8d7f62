import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../adapters/db/database.ts';
import { DomainError } from '../domain/errors.ts';

/**
 * One-time form tokens: a form whose result cannot be a redirect (the enrolment shows the password once) carries
 * one, and the write records it, hashed, in its own transaction. The same form sent again (a reload, a double
 * click) finds it used and writes nothing.
 */

export function newFormToken(): string {
  return randomBytes(18).toString('base64url');
}

const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');

/** Thrown by a write whose form was already sent: `result` names what the first sending made. */
export class FormAlreadySent extends DomainError {
  constructor(readonly result: string) {
    super('conflict', `Questo modulo è già stato inviato: ${result}.`);
  }
}

/**
 * Records the token with what the write made, in the write's transaction. A second sending waits here for the
 * first to commit, then finds the token and is refused, its own write rolled back with it.
 */
export async function useFormToken(trx: Db, token: string, result: string): Promise<void> {
  const tokenHash = hashOf(token);
  const claimed = await trx.insertInto('used_form_tokens').values({ token_hash: tokenHash, result }).onConflict((oc) => oc.doNothing()).returning('token_hash').executeTakeFirst();
  if (claimed) return;
  const earlier = await trx.selectFrom('used_form_tokens').select('result').where('token_hash', '=', tokenHash).executeTakeFirstOrThrow();
  throw new FormAlreadySent(earlier.result);
}
