import type { Db } from '../adapters/db/database.ts';
import { parseChange } from './case-cache.ts';

/**
 * A value read from the administration's catalogue (its set-up, offices, cards, local days), kept by a
 * process while the change feed is heard: every catalogue change notifies '*' (migration 0006), which drops
 * it; without the feed it is read afresh each time.
 */
export class CatalogueKept<T> {
  private cached: Promise<T> | undefined;
  private listening = false;

  constructor(private readonly load: (db: Db) => Promise<T>) {}

  /** `db` reads it when it is not kept: inside a transaction, the transaction (the embedded database has one connection). */
  get(db: Db): Promise<T> {
    if (!this.listening) return this.load(db);
    if (!this.cached) {
      const loading = this.load(db);
      this.cached = loading;
      // a failed read is not kept: the next one tries again
      loading.catch(() => { if (this.cached === loading) this.cached = undefined; });
    }
    return this.cached;
  }

  /** Applies one notification payload from the database: only a catalogue change ('*') concerns it. */
  changed(payload: string): void {
    if (parseChange(payload) === 'everything') this.clear();
  }

  /** Something this process wrote, whose notification may come later. */
  clear(): void {
    this.cached = undefined;
  }

  /** While notifications may be missed, nothing is kept. */
  setListening(listening: boolean): void {
    this.listening = listening;
    this.clear();
  }
}
