/**
 * What a web process keeps in memory about a case (its presented page), kept right by the database's
 * change notifications (migration 0006): a changed case drops its entry, a catalogue change drops
 * them all, and while notifications may be missed (the LISTEN connection is down) nothing is kept.
 * Several web processes each keep their own: they share nothing but PostgreSQL.
 */

/** A change as the database tells it: 'case:<id>', 'answer:<questionnaire marker>' or '*' (anything). */
export function parseChange(payload: string): { caseId: string } | { alias: string } | 'everything' {
  if (payload.startsWith('case:')) return { caseId: payload.slice(5) };
  if (payload.startsWith('answer:')) return { alias: payload.slice(7) };
  return 'everything';
}

interface Entry<V> {
  /** what the value was made for besides the case, e.g. the day and the language */
  variant: string;
  value: V;
  aliases: string[];
}

export interface CaseCacheOptions {
  /** entries kept; the least recently used go first */
  maxEntries: number;
}

export class CaseCache<V> {
  private readonly entries = new Map<string, Entry<V>>();
  private readonly caseOfAlias = new Map<string, string>();
  /** counts the invalidations: a value loaded while one happened may be stale and is not kept */
  private generation = 0;
  private listening = false;

  constructor(private readonly options: CaseCacheOptions) {}

  /** Applies one notification payload from the database. */
  changed(payload: string): void {
    const change = parseChange(payload);
    if (change === 'everything') return this.clear();
    this.generation++;
    const caseId = 'caseId' in change ? change.caseId : this.caseOfAlias.get(change.alias);
    if (caseId !== undefined) this.drop(caseId);
  }

  /** Something this process wrote, whose notification may come later: forget everything now. */
  clear(): void {
    this.generation++;
    this.entries.clear();
    this.caseOfAlias.clear();
  }

  /** Whether notifications arrive: when they may not, the cache neither answers nor keeps. */
  setListening(listening: boolean): void {
    this.listening = listening;
    this.clear();
  }

  get size(): number {
    return this.entries.size;
  }

  /**
   * The value for the case and variant, from memory or from `load`. `load` answers undefined for
   * nothing to keep (e.g. the case does not exist), and may name aliases that also invalidate it.
   */
  async get(caseId: string, variant: string, load: () => Promise<{ value: V; aliases?: string[] } | undefined>): Promise<V | undefined> {
    const entry = this.entries.get(caseId);
    if (this.listening && entry && entry.variant === variant) {
      // recently used goes to the end of the map's order
      this.entries.delete(caseId);
      this.entries.set(caseId, entry);
      return entry.value;
    }
    const generation = this.generation;
    const loaded = await load();
    if (!loaded) return undefined;
    if (this.listening && generation === this.generation) this.keep(caseId, { variant, value: loaded.value, aliases: loaded.aliases ?? [] });
    return loaded.value;
  }

  private keep(caseId: string, entry: Entry<V>): void {
    this.drop(caseId);
    this.entries.set(caseId, entry);
    for (const alias of entry.aliases) this.caseOfAlias.set(alias, caseId);
    if (this.entries.size > this.options.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.drop(oldest);
    }
  }

  private drop(caseId: string): void {
    const entry = this.entries.get(caseId);
    if (!entry) return;
    this.entries.delete(caseId);
    for (const alias of entry.aliases) this.caseOfAlias.delete(alias);
  }
}
