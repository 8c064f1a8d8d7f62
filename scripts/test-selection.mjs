// Which test files need a database: those whose static imports reach the database adapter (src/adapters/db).
// The PostgreSQL pass of CI runs only these; the others would run exactly as they did on PGlite.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const RELATIVE_IMPORT = /(?:from\s+|import\s*\(\s*|import\s+)['"](\.{1,2}\/[^'"]+)['"]/g;
const DATABASE_ADAPTER = join('src', 'adapters', 'db');

function resolveImport(from, specifier) {
  const target = resolve(dirname(from), specifier);
  return [target, `${target}.ts`, target.replace(/\.js$/, '.ts')].find((path) => existsSync(path) && path.match(/\.(m?[jt]sx?)$/));
}

export function reachesDatabase(file, root = process.cwd(), seen = new Set()) {
  const path = resolve(file);
  if (seen.has(path)) return false;
  seen.add(path);
  if (relative(root, path).startsWith(DATABASE_ADAPTER)) return true;
  for (const [, specifier] of readFileSync(path, 'utf8').matchAll(RELATIVE_IMPORT)) {
    const target = resolveImport(path, specifier);
    if (target && reachesDatabase(target, root, seen)) return true;
  }
  return false;
}
