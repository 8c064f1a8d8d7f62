import type { KyselyPlugin } from 'kysely';

/** Counts the statements a database handle sends (`db.withPlugin(counter.plugin)`): each one is a round trip. */
export function statementCounter(): { plugin: KyselyPlugin; count: number } {
  const counter = {
    count: 0,
    plugin: {
      transformQuery(args) {
        counter.count += 1;
        return args.node;
      },
      async transformResult(args) {
        return args.result;
      },
    } satisfies KyselyPlugin,
  };
  return counter;
}
