import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../adapters/db/database.ts';
import type { AdministrationTable } from '../adapters/db/schema.ts';
import { ADMINISTRATION_TEXT_KEYS, SUBSTITUTE_POWER_KEYS, readAdministrationSetup } from '../domain/administration/setup.ts';
import type { AdministrationTextKey, LogoInput, SetupProblem, SubstitutePower } from '../domain/administration/setup.ts';
import { DomainError } from '../domain/errors.ts';
import type { Actor } from './audit.ts';
import { audit } from './audit.ts';
import { inTransaction } from './transaction.ts';

const COLUMNS = {
  name: 'name', code: 'code', ipaCode: 'ipa_code', fiscalCode: 'fiscal_code', address: 'address', pec: 'pec',
  supportEmail: 'support_email', website: 'website', privacyNoticeUrl: 'privacy_notice_url',
  accessibilityStatementUrl: 'accessibility_statement_url', legalNotesUrl: 'legal_notes_url',
  startCommunicationBasis: 'start_communication_basis',
} as const satisfies Record<AdministrationTextKey, keyof AdministrationTable>;

/** The case-code prefix of an administration set up without `code`: it can be changed before the first case. */
export const DEFAULT_ADMINISTRATION_CODE = 'PO';

/** The administration, with every text the pages and messages may show about it; null before the set-up. */
export interface Administration {
  id: string;
  values: Record<AdministrationTextKey, string | null>;
  substitutePower: SubstitutePower | null;
  logoType: 'image/png' | 'image/svg+xml' | null;
  updatedAt: Date;
}

export async function loadAdministration(db: Db): Promise<Administration | null> {
  const row = await db.selectFrom('administrations')
    .select(['id', ...Object.values(COLUMNS), 'substitute_power', 'logo_type', 'updated_at'])
    .orderBy('created_at').limit(1).executeTakeFirst();
  if (!row) return null;
  const values = Object.fromEntries(ADMINISTRATION_TEXT_KEYS.map((key) => [key, row[COLUMNS[key]]])) as Record<AdministrationTextKey, string | null>;
  return { id: row.id, values, substitutePower: row.substitute_power, logoType: row.logo_type, updatedAt: row.updated_at };
}

export async function loadAdministrationLogo(db: Db): Promise<{ type: 'image/png' | 'image/svg+xml'; bytes: Uint8Array; updatedAt: Date } | null> {
  const row = await db.selectFrom('administrations').select(['logo', 'logo_type', 'updated_at']).orderBy('created_at').limit(1).executeTakeFirst();
  return row?.logo && row.logo_type ? { type: row.logo_type, bytes: row.logo, updatedAt: row.updated_at } : null;
}

/** Refused set-up data: one Italian line per bad key, so the whole file can be corrected at once. */
export class SetupRefused extends DomainError {
  constructor(readonly problems: SetupProblem[]) {
    super('invalid-input', problems.map((problem) => problem.message).join('\n'), { problems });
  }
}

export interface SetupOutcome {
  action: 'created' | 'updated' | 'unchanged';
  /** the keys whose value changed, as named in the set-up file */
  changed: string[];
}

const sameBytes = (a: Uint8Array | null, b: Uint8Array | null) =>
  a === null || b === null ? a === b : a.length === b.length && a.every((byte, i) => byte === b[i]);

// compared key by key: jsonb gives its keys back in its own order
const samePower = (a: SubstitutePower | null, b: SubstitutePower | null) =>
  a === null || b === null ? a === b : SUBSTITUTE_POWER_KEYS.every((key) => (a[key] ?? null) === (b[key] ?? null));

/**
 * Creates the administration or changes it, in one transaction with its audit entry. Running it again with
 * the same data changes nothing and says so, so the set-up file can live in version control and be re-applied.
 */
export async function setUpAdministration(db: Db, actor: Actor, raw: unknown, logo?: LogoInput): Promise<SetupOutcome> {
  return inTransaction(db, async (trx) => {
    const current = await trx.selectFrom('administrations').selectAll().orderBy('created_at').limit(1).forUpdate().executeTakeFirst();
    const read = readAdministrationSetup(raw, { creating: !current, ...(logo === undefined ? {} : { logo }) });
    if (!read.ok) throw new SetupRefused(read.problems);
    const { change } = read;

    const set: Partial<Record<keyof AdministrationTable, unknown>> = {};
    const before: Record<string, unknown> = {};
    const after: Record<string, unknown> = {};
    const changed: string[] = [];
    for (const key of ADMINISTRATION_TEXT_KEYS) {
      const value = change[key];
      if (value === undefined || (current && current[COLUMNS[key]] === value)) continue;
      set[COLUMNS[key]] = value;
      changed.push(key);
      before[key] = current?.[COLUMNS[key]] ?? null;
      after[key] = value;
    }
    if (change.substitutePower !== undefined && !samePower(change.substitutePower, current?.substitute_power ?? null)) {
      set.substitute_power = change.substitutePower === null ? null : JSON.stringify(change.substitutePower);
      changed.push('substitutePower');
      before.substitutePower = current?.substitute_power ?? null;
      after.substitutePower = change.substitutePower;
    }
    if (change.logo !== undefined && !(sameBytes(change.logo?.bytes ?? null, current?.logo ?? null) && (change.logo?.type ?? null) === (current?.logo_type ?? null))) {
      set.logo = change.logo?.bytes ?? null;
      set.logo_type = change.logo?.type ?? null;
      changed.push('logoFile');
      // the audit log keeps what changed, not the image itself
      before.logoFile = current?.logo_type ? { type: current.logo_type, bytes: current.logo?.length ?? 0 } : null;
      after.logoFile = change.logo ? { type: change.logo.type, bytes: change.logo.bytes.length } : null;
    }

    if (!current) {
      const id = randomUUID();
      await trx.insertInto('administrations')
        .values({ id, code: change.code ?? DEFAULT_ADMINISTRATION_CODE, name: change.name!, support_email: change.supportEmail!, website: change.website!, ...set } as never)
        .execute();
      await audit(trx, actor, { action: 'administration.create', entity: 'administration', entityId: id, after });
      return { action: 'created', changed };
    }
    if (!changed.length) return { action: 'unchanged', changed };
    await trx.updateTable('administrations').set({ ...set, updated_at: sql`now()` } as never).where('id', '=', current.id).execute();
    await audit(trx, actor, { action: 'administration.update', entity: 'administration', entityId: current.id, before, after });
    return { action: 'updated', changed };
  });
}

/** What every page frame shows of the administration; a value not set up is null and its element is left out. */
export interface PageAdministration {
  name: string;
  address: string | null;
  pec: string | null;
  supportEmail: string | null;
  website: string | null;
  privacyNoticeUrl: string | null;
  accessibilityStatementUrl: string | null;
  legalNotesUrl: string | null;
  /** the coat of arms' address, versioned so that a new logo is not hidden by caches */
  logoUrl: string | null;
}

export const LOGO_PATH = '/amministrazione/logo';

/** Before the set-up the pages still render, named after the service. */
export const UNSET_ADMINISTRATION: PageAdministration = {
  name: 'Pratica Online', address: null, pec: null, supportEmail: null, website: null, privacyNoticeUrl: null, accessibilityStatementUrl: null, legalNotesUrl: null, logoUrl: null,
};

export async function loadPageAdministration(db: Db): Promise<PageAdministration> {
  const row = await db.selectFrom('administrations')
    .select(['name', 'address', 'pec', 'support_email', 'website', 'privacy_notice_url', 'accessibility_statement_url', 'legal_notes_url', 'logo_type', 'updated_at'])
    .orderBy('created_at').limit(1).executeTakeFirst();
  if (!row) return UNSET_ADMINISTRATION;
  return {
    name: row.name, address: row.address, pec: row.pec, supportEmail: row.support_email, website: row.website, privacyNoticeUrl: row.privacy_notice_url,
    accessibilityStatementUrl: row.accessibility_statement_url, legalNotesUrl: row.legal_notes_url,
    logoUrl: row.logo_type ? `${LOGO_PATH}?v=${new Date(row.updated_at).getTime().toString(36)}` : null,
  };
}
