import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * `npm run bench [-- section ...]`: runs the benchmarks (all by default), prints their markdown and
 * writes it into docs/benchmarks.md between the section's markers, so the page always shows the
 * figures of the last run and the command that produced them.
 */
const SECTIONS: Record<string, { module: string; exportName: string }> = {
  api: { module: './api.ts', exportName: 'benchApi' },
  notifications: { module: './notifications.ts', exportName: 'benchNotifications' },
  portal: { module: './portal.ts', exportName: 'benchPortal' },
  backoffice: { module: './backoffice.ts', exportName: 'benchBackoffice' },
  reports: { module: './reports.ts', exportName: 'benchReports' },
  passwords: { module: './passwords.ts', exportName: 'benchPasswords' },
  burst: { module: './burst.ts', exportName: 'benchBurst' },
  crash: { module: './crash.ts', exportName: 'benchCrash' },
  workers: { module: './crash.ts', exportName: 'benchWorkers' },
  throughput: { module: './throughput.ts', exportName: 'benchThroughput' },
  io: { module: './io.ts', exportName: 'benchIo' },
};

const here = dirname(fileURLToPath(import.meta.url));
const docPath = join(here, '..', 'docs', 'benchmarks.md');

function replaceSection(doc: string, name: string, body: string): string {
  const start = `<!-- bench:${name}:start -->`;
  const end = `<!-- bench:${name}:end -->`;
  const block = `${start}\n${body.trim()}\n\nMeasured on ${new Date().toISOString().slice(0, 10)} with \`npm run bench -- ${name}\`.\n${end}`;
  const from = doc.indexOf(start);
  const to = doc.indexOf(end);
  return from >= 0 && to > from ? `${doc.slice(0, from)}${block}${doc.slice(to + end.length)}` : `${doc.trimEnd()}\n\n${block}\n`;
}

export async function runBenchmarks(args: string[]): Promise<number> {
  const unknown = args.filter((name) => !SECTIONS[name]);
  if (unknown.length) {
    process.stderr.write(`errore: benchmark sconosciuto: ${unknown.join(', ')} (disponibili: ${Object.keys(SECTIONS).join(', ')})\n`);
    return 2;
  }
  const names = args.length ? args : Object.keys(SECTIONS).filter((name) => existsSync(join(here, SECTIONS[name]!.module)));
  let doc = existsSync(docPath) ? readFileSync(docPath, 'utf8') : '# Benchmarks\n';
  for (const name of names) {
    const { module, exportName } = SECTIONS[name]!;
    process.stdout.write(`== benchmark ${name}\n`);
    const run = (await import(module))[exportName] as () => Promise<string>;
    const markdown = await run();
    process.stdout.write(`${markdown}\n`);
    doc = replaceSection(doc, name, markdown);
    writeFileSync(docPath, doc);
  }
  return 0;
}
