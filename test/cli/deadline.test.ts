import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { runDeadlineCommand } from '../../src/cli/deadline.ts';
import { createHolidayCalendar } from '../../src/domain/deadline/index.ts';

const calendar = createHolidayCalendar([]);
const run = (...argv: string[]) => runDeadlineCommand(argv, calendar);

describe('pratica deadline: success', () => {
  test('text output: deadline, term, one step per line', () => {
    const result = run('--from', '2026-03-03', '--term', '30 giorni', '--suspend', '2026-03-10:art2c7', '--resume', '2026-03-20');
    assert.equal(result.exitCode, 0);
    assert.equal(result.stderr, '');
    assert.equal(
      result.stdout,
      [
        'Scadenza: lunedì 13/04/2026',
        'Termine: 30 giorni dal 03/03/2026',
        'Giorni di sospensione: 10',
        'Calcolo:',
        '  - Domanda ricevuta il 03/03/2026; termine di 30 giorni: scadenza base 02/04/2026',
        '  - Sospensione art. 2 c.7 L. 241/1990 dal 10/03/2026 al 20/03/2026 (10 giorni): scadenza spostata al 12/04/2026',
        '  - Il 12/04/2026 è domenica: scadenza spostata al primo giorno non festivo, 13/04/2026',
        '',
      ].join('\n'),
    );
  });

  test('--flag=value form and the card phrase', () => {
    const result = run('--from=2026-01-12', '--term=20 gg. da ricevimento domanda');
    assert.equal(result.exitCode, 0);
    assert.match(result.stdout, /^Scadenza: lunedì 02\/02\/2026$/m);
  });

  test('warnings are listed after the steps', () => {
    const result = run('--from', '2026-03-07', '--term', '7d');
    assert.match(result.stdout, /Avvertenze:\n {2}! La scadenza del 14\/03\/2026 cade di sabato/);
  });

  test('--saturday-moves, --saturday-working and --today', () => {
    assert.match(run('--from', '2026-03-07', '--term', '7d', '--saturday-moves').stdout, /Scadenza: lunedì 16\/03\/2026/);
    assert.match(run('--from', '2026-03-06', '--term', '1wd', '--saturday-working').stdout, /Scadenza: sabato 07\/03\/2026/);
    assert.match(run('--from', '2026-03-03', '--term', '30d', '--today', '2026-04-10').stdout, /! Il termine è scaduto il 02\/04\/2026/);
  });

  test('provisional and unknown deadlines', () => {
    assert.match(run('--from', '2026-03-04', '--term', '30d', '--suspend', '2026-03-10:art2c7').stdout, /^Scadenza \(provvisoria\): lunedì 04\/05\/2026$/m);
    assert.match(run('--from', '2026-03-03', '--term', '30d', '--interrupt', '2026-03-10').stdout, /^Scadenza: non determinabile/);
  });

  test('interruption restart is shown on the term line', () => {
    const result = run('--from', '2026-03-03', '--term', '30d', '--interrupt', '2026-03-10', '--resume', '2026-03-20');
    assert.match(result.stdout, /Termine: 30 giorni dal 03\/03\/2026 \(ricominciato il 20\/03\/2026\)/);
  });

  test('--json: one object with the documented keys', () => {
    const result = run('--from', '2026-03-03', '--term', '10 giorni lavorativi', '--suspend', '2026-03-05:art10bis', '--observations', '2026-03-12', '--json');
    assert.equal(result.exitCode, 0);
    const body = JSON.parse(result.stdout) as Record<string, unknown>;
    assert.deepEqual(Object.keys(body), ['deadline', 'provisional', 'baseDeadline', 'termStart', 'suspendedDays', 'suspensions', 'steps', 'warnings', 'term']);
    assert.equal(body['deadline'], '2026-04-01');
    assert.equal(body['provisional'], true);
    assert.equal(body['baseDeadline'], '2026-03-17');
    assert.equal(body['termStart'], '2026-03-03');
    assert.equal(body['suspendedDays'], 17);
    assert.deepEqual(body['term'], { amount: 10, unit: 'working-days', text: '10 giorni lavorativi' });
    assert.deepEqual(body['suspensions'], [{ kind: 'art10bis', from: '2026-03-05', to: '2026-03-22', days: 17, open: true, legalEnd: '2026-03-22' }]);
    assert.ok(Array.isArray(body['steps']) && Array.isArray(body['warnings']));
  });

  test('--json with an unknown deadline prints null', () => {
    const body = JSON.parse(run('--from', '2026-03-03', '--term', '30d', '--suspend', '2026-03-10:other', '--json').stdout) as Record<string, unknown>;
    assert.equal(body['deadline'], null);
    assert.equal(body['provisional'], false);
  });

  test('--help prints Italian usage with exit 0', () => {
    for (const flag of ['--help', '-h']) {
      const result = run(flag);
      assert.equal(result.exitCode, 0);
      assert.match(result.stdout, /^Uso: pratica deadline --from AAAA-MM-GG --term TERMINE/);
      assert.equal(result.stderr, '');
    }
  });
});

describe('pratica deadline: refusals exit 2 with an Italian message', () => {
  const rows: [string, string[], string | RegExp][] = [
    ['no arguments', [], 'errore: manca --from AAAA-MM-GG (data di ricevimento della domanda)\n'],
    ['missing --term', ['--from', '2026-03-03'], /^errore: manca --term/],
    ['missing --from', ['--term', '30d'], /^errore: manca --from/],
    ['bad --from date', ['--from', '2026-02-30', '--term', '30d'], 'errore: --from 2026-02-30: data non valida: febbraio 2026 ha 28 giorni\n'],
    ['bad --suspend date', ['--from', '2026-03-03', '--term', '30d', '--suspend', '2026-13-01:art2c7'], 'errore: --suspend 2026-13-01:art2c7: data non valida (atteso AAAA-MM-GG)\n'],
    ['bad KIND', ['--from', '2026-03-03', '--term', '30d', '--suspend', '2026-03-10:art3'], /^errore: --suspend 2026-03-10:art3: tipo di sospensione sconosciuto "art3" \(ammessi: art2c7, art10bis, other\)/],
    ['interruption is not a --suspend KIND', ['--from', '2026-03-03', '--term', '30d', '--suspend', '2026-03-10:interruption'], /tipo di sospensione sconosciuto/],
    ['--suspend without KIND', ['--from', '2026-03-03', '--term', '30d', '--suspend', '2026-03-10'], /^errore: --suspend 2026-03-10: atteso AAAA-MM-GG:TIPO/],
    ['bad --resume date', ['--from', '2026-03-03', '--term', '30d', '--suspend', '2026-03-10:other', '--resume', 'ieri'], /^errore: --resume ieri: data non valida/],
    ['bad --observations date', ['--from', '2026-03-03', '--term', '30d', '--observations', '2026/03/10'], /^errore: --observations 2026\/03\/10: data non valida/],
    ['bad --interrupt date', ['--from', '2026-03-03', '--term', '30d', '--interrupt', '2026-04-31'], /^errore: --interrupt 2026-04-31: data non valida: aprile 2026 ha 30 giorni/],
    ['bad --today', ['--from', '2026-03-03', '--term', '30d', '--today', 'oggi'], /^errore: --today oggi: data non valida/],
    ['term not numeric', ['--from', '2026-03-03', '--term', 'immediato'], /^errore: --term "immediato": il termine "immediato" non indica un tempo numerico/],
    ['term zero', ['--from', '2026-03-03', '--term', '0d'], /^errore: --term "0d": il termine "0d" deve essere di almeno 1 giorno/],
    ['term absurd', ['--from', '2026-03-03', '--term', '500m'], /fuori misura/],
    ['unknown flag', ['--from', '2026-03-03', '--term', '30d', '--verbose'], 'errore: opzione sconosciuta --verbose (vedi pratica deadline --help)\n'],
    ['unknown flag with =value', ['--from', '2026-03-03', '--term', '30d', '--days=3'], /^errore: opzione sconosciuta --days /],
    ['unquoted term phrase', ['--from', '2026-03-03', '--term', '10', 'giorni'], /^errore: argomento inatteso "giorni"/],
    ['value missing at the end', ['--term', '30d', '--from'], 'errore: --from richiede un valore\n'],
    ['value missing before a flag', ['--from', '--term', '30d'], /^errore: --from richiede un valore/],
    ['empty value', ['--from=', '--term', '30d'], /^errore: --from richiede un valore/],
    ['boolean with a value', ['--from', '2026-03-03', '--term', '30d', '--json=yes'], /^errore: --json non accetta un valore/],
    ['--from twice', ['--from', '2026-03-03', '--from', '2026-03-04', '--term', '30d'], /^errore: --from indicato più volte/],
    ['second art2c7', ['--from', '2026-03-03', '--term', '30d', '--suspend', '2026-03-05:art2c7', '--resume', '2026-03-06', '--suspend', '2026-03-08:art2c7'], /^errore: --suspend 2026-03-08:art2c7: la sospensione per integrazioni \(art\. 2 c\.7 L\. 241\/1990\) si può disporre una sola volta/],
    ['resume without suspension', ['--from', '2026-03-03', '--term', '30d', '--resume', '2026-03-06'], 'errore: --resume 2026-03-06: riattivazione del 06/03/2026 senza una sospensione in corso\n'],
    ['suspend while suspended', ['--from', '2026-03-03', '--term', '30d', '--suspend', '2026-03-05:other', '--interrupt', '2026-03-06'], /^errore: --interrupt 2026-03-06: la pratica è già sospesa dal 05\/03\/2026/],
    ['observations without 10-bis', ['--from', '2026-03-03', '--term', '30d', '--suspend', '2026-03-05:art2c7', '--observations', '2026-03-06'], /^errore: --observations 2026-03-06: osservazioni del 06\/03\/2026 senza un preavviso di rigetto/],
    ['event before --from', ['--from', '2026-03-03', '--term', '30d', '--suspend', '2026-03-01:other'], /^errore: --suspend 2026-03-01:other: l'evento del 01\/03\/2026 è anteriore al ricevimento della domanda/],
    ['events out of order', ['--from', '2026-03-03', '--term', '30d', '--suspend', '2026-03-10:other', '--resume', '2026-03-08'], /^errore: --resume 2026-03-08: l'evento del 08\/03\/2026 è anteriore all'evento precedente/],
  ];
  for (const [name, argv, expected] of rows) {
    test(name, () => {
      const result = run(...argv);
      assert.equal(result.exitCode, 2);
      assert.equal(result.stdout, '');
      if (typeof expected === 'string') assert.equal(result.stderr, expected);
      else assert.match(result.stderr, expected);
      assert.ok(result.stderr.endsWith('\n'));
    });
  }
});
