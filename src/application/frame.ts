import type { Db } from '../adapters/db/database.ts';
import { UNSET_ADMINISTRATION, loadPageAdministration } from './administration.ts';
import type { PageAdministration } from './administration.ts';
import { parseChange } from './case-cache.ts';

/**
 * The administration every page's frame shows, read once per web process and kept while the change feed
 * is heard: a set-up change notifies '*' (migration 0006), which drops it; without the feed it is read afresh.
 */
export class FrameProvider {
  private cached: Promise<PageAdministration> | undefined;
  private listening = false;

  constructor(private readonly db: Db) {}

  /** The frame's administration (the service's own name before the set-up). */
  administration(): Promise<PageAdministration> {
    if (!this.listening) return loadPageAdministration(this.db);
    if (!this.cached) {
      const loading = loadPageAdministration(this.db);
      this.cached = loading;
      // a failed read is not kept: the next page tries again
      loading.catch(() => { if (this.cached === loading) this.cached = undefined; });
    }
    return this.cached;
  }

  /**
   * The same, or the service's own name when the database cannot say: error pages must render even then.
   * `fresh` skips the memory: an internal error may be the database going away, and the page then shows only what it can read.
   */
  async administrationOrUnset(fresh = false): Promise<PageAdministration> {
    try {
      return await (fresh ? loadPageAdministration(this.db) : this.administration());
    } catch {
      return UNSET_ADMINISTRATION;
    }
  }

  /** Applies one notification payload from the database: only a catalogue change ('*') concerns the frame. */
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
