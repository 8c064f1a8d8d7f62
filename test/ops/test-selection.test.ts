import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// @ts-expect-error the runner's own module is plain JavaScript, with no declarations
import { reachesDatabase } from '../../scripts/test-selection.mjs';

const needsDatabase = reachesDatabase as (file: string, root?: string) => boolean;

describe("CI's PostgreSQL pass runs the test files that use a database, and only those", () => {
  const cases: [string, boolean][] = [
    ['test/domain/deadline.test.ts', false],
    ['test/config.test.ts', false],
    ['test/web/home.test.ts', true],
    ['test/db/migrations.test.ts', true],
    ['test/cli/empty-database.test.ts', true],
  ];
  for (const [file, expected] of cases) {
    test(`${file}: ${expected ? 'runs' : 'left out'}`, () => assert.equal(needsDatabase(file), expected));
  }

  test('a database reached through a chain of imports, with a cycle on the way, counts', () => {
    const root = mkdtempSync(join(tmpdir(), 'selection-'));
    mkdirSync(join(root, 'src', 'adapters', 'db'), { recursive: true });
    writeFileSync(join(root, 'src', 'adapters', 'db', 'database.ts'), 'export const db = 1;\n');
    writeFileSync(join(root, 'a.test.ts'), "import { b } from './b.ts';\n");
    writeFileSync(join(root, 'b.ts'), "import { c } from './c';\nexport const b = 1;\n");
    writeFileSync(join(root, 'c.ts'), "import { b } from './b.ts';\nconst later = () => import('./src/adapters/db/database.ts');\nexport const c = 1;\n");
    writeFileSync(join(root, 'd.test.ts'), "import { e } from './e.ts';\n");
    writeFileSync(join(root, 'e.ts'), "import { d } from './d.test.ts';\nimport assert from 'node:assert';\nexport const e = 1;\n");
    assert.equal(needsDatabase(join(root, 'a.test.ts'), root), true);
    assert.equal(needsDatabase(join(root, 'd.test.ts'), root), false);
  });
});
