/**
 * What a web process keeps in memory about a case (its presented page), kept right by the database's
 * change notifications (migration 0006): a changed case drops its entry, a catalogue change drops
 * them all, and while notifications may be missed (the LISTEN connection is down) nothing is kept.
 * Several web processes each keep their own: they share nothing but PostgreSQL.
 */

/**
 * A change as the database tells it: 'case:<id>', 'answer' (some case's questionnaire was answered: which one,
 * the notification must not tell, migration 0013), 'tokens' (an API token revoked or changed, migration 0028)
 * or '*' (anything).
 */
export function parseChange(payload: string): { caseId: string } | 'answer' | 'tokens' | 'everything' {
  if (payload.startsWith('case:')) return { caseId: payload.slice(5) };
  if (payload === 'answer' || payload === 'tokens') return payload;
  return 'everything';
}

interface Entry<V> {
  /** what the value was made for besides the case, e.g. the day and the language */
  variant: string;
  value: V;
  /** the value offers the questionnaire: any answer may be this case's */
  awaitsAnswer: boolean;
}

export interface CaseCacheOptions {
  /** entries kept; the least recently used go first */
  maxEntries: number;
  /** told of every read: served from memory (true) or loaded (false), for the metrics */
  onLookup?: (hit: boolean) => void;
}

export class CaseCache<V> {
  private readonly entries = new Map<string, Entry<V>>();
  /** counts the invalidations: a value loaded while one happened may be stale and is not kept */
  private generation = 0;
  private listening = false;

  constructor(private readonly options: CaseCacheOptions) {}

  /** Applies one notification payload from the database. */
  changed(payload: string): void {
    const change = parseChange(payload);
    if (change === 'everything') return this.clear();
    if (change === 'tokens') return;
    this.generation++;
    if (change !== 'answer') this.entries.delete(change.caseId);
    else for (const [caseId, entry] of this.entries) if (entry.awaitsAnswer) this.entries.delete(caseId);
  }

  /** Something this process wrote, whose notification may come later: forget everything now. */
  clear(): void {
    this.generation++;
    this.entries.clear();
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
   * nothing to keep (e.g. the case does not exist), and says whether the value still offers the questionnaire.
   */
  async get(caseId: string, variant: string, load: () => Promise<{ value: V; awaitsAnswer?: boolean } | undefined>): Promise<V | undefined> {
    const entry = this.entries.get(caseId);
    if (this.listening && entry && entry.variant === variant) {
      // recently used goes to the end of the map's order
      this.entries.delete(caseId);
      this.entries.set(caseId, entry);
      this.options.onLookup?.(true);
      return entry.value;
    }
    this.options.onLookup?.(false);
    const generation = this.generation;
    const loaded = await load();
    if (!loaded) return undefined;
    if (this.listening && generation === this.generation) this.keep(caseId, { variant, value: loaded.value, awaitsAnswer: loaded.awaitsAnswer ?? false });
    return loaded.value;
  }

  private keep(caseId: string, entry: Entry<V>): void {
    // deleted first, so that it goes to the end of the map's order
    this.entries.delete(caseId);
    this.entries.set(caseId, entry);
    if (this.entries.size > this.options.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }
}
