import type { Db } from '../adapters/db/database.ts';
import { UNSET_ADMINISTRATION, loadPageAdministration } from './administration.ts';
import type { PageAdministration } from './administration.ts';
import { CatalogueKept } from './catalogue-kept.ts';

/**
 * The administration every page's frame shows, read once per web process and kept while the change feed
 * is heard (a set-up change drops it); without the feed it is read afresh.
 */
export class FrameProvider extends CatalogueKept<PageAdministration> {
  constructor(private readonly db: Db) {
    super(loadPageAdministration);
  }

  /** The frame's administration (the service's own name before the set-up). */
  administration(): Promise<PageAdministration> {
    return this.get(this.db);
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
}
