/**
 * The citizen chooses, from their case page, which of the case's contacts receive the messages: SMS, e-mail,
 * App IO (docs/domain.md: contacts are chosen by the citizen). Audited with the citizen as the actor.
 */
import { chooseChannels } from '../backoffice/case-admin.ts';
import type { CaseAdminDeps } from '../backoffice/case-admin.ts';
import { citizenActor } from './opt-out.ts';

export async function chooseOwnChannels(deps: CaseAdminDeps, code: string, channels: readonly string[]): Promise<number> {
  return chooseChannels(deps, citizenActor(code), code, channels);
}
