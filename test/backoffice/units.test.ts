import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CsvError, detectSeparator, parseCsv } from '../../src/application/backoffice/csv.ts';
import { canEditOffice, canImportCases, canManageStaff, canSeeCatalogue, caseEventsFor, scopeOf } from '../../src/domain/policy.ts';
import type { Principal } from '../../src/domain/policy.ts';

describe('CSV reader', () => {
  const cases: [string, string, string[][]][] = [
    ['semicolon, Italian Excel', 'a;b;c\r\n1;2;3\r\n', [['a', 'b', 'c'], ['1', '2', '3']]],
    ['comma', 'a,b\n1,2', [['a', 'b'], ['1', '2']]],
    ['byte order mark', '\uFEFFa;b\n1;2\n', [['a', 'b'], ['1', '2']]],
    ['quotes, doubled quotes, separators and line breaks inside', 'a;b\n"x;y";"he said ""hi""\nnext"\n', [['a', 'b'], ['x;y', 'he said "hi"\nnext']]],
    ['blank lines skipped, spaces trimmed outside quotes', 'a;b\n\n 1 ; " 2 "\n\n', [['a', 'b'], ['1', ' 2 ']]],
    ['empty fields kept', 'a;b;c\n;;\n', [['a', 'b', 'c'], ['', '', '']]],
  ];
  for (const [name, input, expected] of cases) {
    test(name, () => assert.deepEqual(parseCsv(input).map((r) => r.fields), expected));
  }
  test('line numbers count line breaks inside quotes', () => {
    assert.deepEqual(parseCsv('a\n"1\n2"\n3\n').map((r) => r.line), [1, 2, 4]);
  });
  test('broken quoting is refused with its line', () => {
    assert.throws(() => parseCsv('a;b\n"open;2\n'), (e: unknown) => e instanceof CsvError && e.line === 2);
    assert.throws(() => parseCsv('a;b\n"x"y;2\n'), CsvError);
    assert.throws(() => parseCsv('a;b\nx"y;2\n'), CsvError);
  });
  test('the separator is the header\'s most frequent one outside quotes', () => {
    assert.equal(detectSeparator('"a,b";c;d\n'), ';');
    assert.equal(detectSeparator('a,b,c\n1;2;3;4;5'), ',');
  });
});

describe('policies', () => {
  const admin: Principal = { id: 'a', role: 'admin', officeId: null };
  const manager: Principal = { id: 'm', role: 'office-manager', officeId: 'VIAB' };
  const officer: Principal = { id: 'o', role: 'case-officer', officeId: 'VIAB' };
  test('scope: administrators see every office, the others their own', () => {
    assert.equal(scopeOf(admin), null);
    assert.equal(scopeOf(officer), 'VIAB');
  });
  test('events are offered only on the user\'s office cases, and only those the state allows', () => {
    assert.deepEqual(caseEventsFor(officer, { officeId: 'VIAB', state: 'in-progress' }), ['suspend', 'close', 'substitute-request']);
    assert.deepEqual(caseEventsFor(officer, { officeId: 'AMB', state: 'in-progress' }), []);
    assert.deepEqual(caseEventsFor(admin, { officeId: 'AMB', state: 'closed' }), []);
  });
  const table: [string, boolean, boolean, boolean][] = [
    // what, admin, manager, officer
    ['import cases', canImportCases(admin), canImportCases(manager), canImportCases(officer)],
    ['see the catalogue', canSeeCatalogue(admin), canSeeCatalogue(manager), canSeeCatalogue(officer)],
    ['edit own office', canEditOffice(admin, 'VIAB'), canEditOffice(manager, 'VIAB'), canEditOffice(officer, 'VIAB')],
    ['edit another office', canEditOffice(admin, 'AMB'), canEditOffice(manager, 'AMB'), canEditOffice(officer, 'AMB')],
    ['create an officer of own office', canManageStaff(admin, { officeId: 'VIAB', role: 'case-officer' }), canManageStaff(manager, { officeId: 'VIAB', role: 'case-officer' }), canManageStaff(officer, { officeId: 'VIAB', role: 'case-officer' })],
    ['create an administrator', canManageStaff(admin, { officeId: null, role: 'admin' }), canManageStaff(manager, { officeId: null, role: 'admin' }), false],
  ];
  const expected: Record<string, [boolean, boolean, boolean]> = {
    'import cases': [true, true, false],
    'see the catalogue': [true, true, false],
    'edit own office': [true, true, false],
    'edit another office': [true, false, false],
    'create an officer of own office': [true, true, false],
    'create an administrator': [true, false, false],
  };
  for (const [what, a, m, o] of table) test(what, () => assert.deepEqual([a, m, o], expected[what]));
});
