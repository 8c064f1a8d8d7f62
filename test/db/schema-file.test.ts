import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import ts from 'typescript';
import { sql } from 'kysely';
import type { DatabaseHandle } from '../../src/adapters/db/database.ts';
import { createTestDatabase } from '../support/database.ts';

/** Tables and their columns as schema.ts types them: `Database`'s properties, each an interface of the file (`extends` and `Omit` followed). */
function typedTables(): Map<string, string[]> {
  const file = ts.createSourceFile('schema.ts', readFileSync('src/adapters/db/schema.ts', 'utf8'), ts.ScriptTarget.Latest);
  const declarations = new Map<string, ts.InterfaceDeclaration>();
  file.forEachChild((node) => {
    if (ts.isInterfaceDeclaration(node)) declarations.set(node.name.text, node);
  });
  const ownNames = (node: ts.InterfaceDeclaration) => node.members.flatMap((m) => (m.name && ts.isIdentifier(m.name) ? [m.name.text] : []));
  const columnsOf = (type: ts.TypeNode): string[] => {
    if (!ts.isTypeReferenceNode(type)) return [];
    const name = (type.typeName as ts.Identifier).text;
    if (name === 'Omit' && type.typeArguments) {
      const [base, keys] = type.typeArguments;
      const omitted = [...(keys!.getText(file).matchAll(/'([^']+)'/g))].map((m) => m[1]);
      return columnsOf(base!).filter((column) => !omitted.includes(column));
    }
    const node = declarations.get(name);
    if (!node) return [];
    const inherited = (node.heritageClauses ?? []).flatMap((clause) => clause.types.flatMap((t) => columnsOf(ts.factory.createTypeReferenceNode(t.expression as ts.Identifier, t.typeArguments))));
    return [...inherited, ...ownNames(node)];
  };
  const tables = new Map<string, string[]>();
  for (const member of declarations.get('Database')!.members) {
    if (!ts.isPropertySignature(member) || !member.type) continue;
    tables.set((member.name as ts.Identifier).text, [...new Set(columnsOf(member.type))].sort());
  }
  return tables;
}

describe('schema.ts types every table and column of a freshly migrated database, and the views it names', () => {
  let database: DatabaseHandle;
  before(async () => {
    database = await createTestDatabase();
  });
  after(() => database.close());

  test('the same tables, each with the same columns; a view typed there has its columns too', async () => {
    const { rows } = await sql<{ table_name: string; column_name: string; table_type: string }>`
      SELECT c.table_name, c.column_name, t.table_type FROM information_schema.columns c
        JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
      WHERE c.table_schema = current_schema() AND t.table_type IN ('BASE TABLE', 'VIEW')
      ORDER BY c.table_name, c.column_name`.execute(database.db);
    const migrated = new Map<string, string[]>();
    const views = new Set<string>();
    for (const row of rows) {
      migrated.set(row.table_name, [...(migrated.get(row.table_name) ?? []), row.column_name]);
      if (row.table_type === 'VIEW') views.add(row.table_name);
    }
    const typed = typedTables();
    const tables = [...migrated.keys()].filter((name) => !views.has(name) || typed.has(name));
    assert.deepEqual([...typed.keys()].sort(), tables.sort(), 'tables (and the views typed)');
    for (const table of tables) assert.deepEqual(typed.get(table), migrated.get(table), table);
  });
});
