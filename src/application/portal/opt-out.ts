/**
 * Leaving the service (docs/domain.md, the service, 8), asked by the citizen from the case page. The notifications'
 * optOut records it on the case (opted_out_at, shown to the responsible officer), cancels the messages
 * not yet sent and writes the audit entry; here the citizen is the actor.
 */
import type { Actor } from '../audit.ts';
import { optOut } from '../notifications.ts';
import type { PortalDeps } from './sign-in.ts';

export interface OptOutResult {
  optedOutAt: Date;
  /** queued messages that will not be sent */
  cancelled: number;
}

export function citizenActor(code: string): Actor {
  // officeId null: the case is already chosen by the session, not by an office's scope
  return { kind: 'citizen', id: code, name: 'Richiedente (La tua pratica on line)', officeId: null };
}

export async function requestOptOut(deps: Pick<PortalDeps, 'db' | 'clock'>, code: string): Promise<OptOutResult> {
  return optOut(deps, citizenActor(code), code);
}
