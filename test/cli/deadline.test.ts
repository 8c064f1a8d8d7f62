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
    assert.deepEqual(Object.keys(body), [
      'deadline', 'provisional', 'baseDeadline', 'termStart', 'suspendedDays', 'suspensions', 'steps', 'warnings', 'term',
      'substituteDeadline', 'substituteRequestBy', 'delayDays', 'indemnity', 'silenceAccepted', 'acceptedFrom',
    ]);
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
    ['substitute request before the deadline', ['--from', '2026-03-03', '--term', '30d', '--substitute-request', '2026-03-20'], /^errore: --substitute-request 2026-03-20: la richiesta al titolare del potere sostitutivo del 20\/03\/2026 non è ammessa: il termine scade il 02\/04\/2026/],
    ['substitute request on the deadline day', ['--from', '2026-03-03', '--term', '30d', '--substitute-request', '2026-04-02'], /dal giorno successivo, 03\/04\/2026/],
    ['substitute request while the deadline is unknown', ['--from', '2026-03-03', '--term', '30d', '--suspend', '2026-03-05:other', '--substitute-request', '2026-04-10'], /^errore: --substitute-request 2026-04-10: la scadenza non è ancora determinabile/],
    ['bad --substitute-request date', ['--from', '2026-03-03', '--term', '30d', '--substitute-request', '2026-04-31'], /^errore: --substitute-request 2026-04-31: data non valida: aprile 2026 ha 30 giorni/],
    ['bad --close date', ['--from', '2026-03-03', '--term', '30d', '--close', 'domani'], /^errore: --close domani: data non valida/],
    ['--close before --from', ['--from', '2026-03-03', '--term', '30d', '--close', '2026-03-01'], /^errore: --close 2026-03-01: la decisione non può precedere il ricevimento/],
    ['substitute request after the decision', ['--from', '2026-03-03', '--term', '30d', '--close', '2026-04-05', '--substitute-request', '2026-04-06'], /successiva alla decisione \(05\/04\/2026\)/],
    ['--business with a value', ['--from', '2026-03-03', '--term', '30d', '--business=yes'], /^errore: --business non accetta un valore/],
    ['--close twice', ['--from', '2026-03-03', '--term', '30d', '--close', '2026-04-05', '--close', '2026-04-06'], /^errore: --close indicato più volte/],
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

describe('pratica deadline: remedies of a late office', () => {
  const json = (...argv: string[]) => {
    const result = run(...argv, '--json');
    assert.equal(result.exitCode, 0, result.stderr);
    return JSON.parse(result.stdout) as Record<string, unknown>;
  };

  // 30 days from 3 Mar 2026: deadline Thu 2 Apr; the 20 days for the substitute end Wed 22 Apr
  test('no remedy option: the new keys are present and neutral', () => {
    const body = json('--from', '2026-03-03', '--term', '30d');
    assert.equal(body['substituteDeadline'], null);
    assert.equal(body['delayDays'], 0);
    assert.equal(body['silenceAccepted'], false);
    assert.equal(body['acceptedFrom'], null);
    assert.deepEqual(Object.keys(body['indemnity'] as object), ['euro', 'eligible', 'reason']);
  });

  const rows: [name: string, argv: string[], expected: Record<string, unknown>][] = [
    ['substitute: 15 days from 10 Apr end on 25 Apr (Liberazione) → Mon 27 Apr', ['--substitute-request', '2026-04-10'], { substituteDeadline: '2026-04-27' }],
    ['working days: 10wd → 5wd from the request', ['--term', '10wd', '--substitute-request', '2026-03-20'], { deadline: '2026-03-17', substituteDeadline: '2026-03-27' }],
    ['months: 1 month from 3 Mar is 31 days → 16 calendar days', ['--term', '1m', '--substitute-request', '2026-04-06'], { deadline: '2026-04-03', substituteDeadline: '2026-04-22' }],
    ['delay to today', ['--today', '2026-04-12'], { delayDays: 10 }],
    ['delay to the decision, whatever today is', ['--close', '2026-04-05', '--today', '2026-06-01'], { delayDays: 3 }],
    ['decided in time: no delay', ['--close', '2026-04-02', '--today', '2026-06-01'], { delayDays: 0 }],
    ['business, request in time: 30 € × 10', ['--business', '--substitute-request', '2026-04-10', '--today', '2026-04-12'], { delayDays: 10, indemnity: { euro: 300, eligible: true } }],
    ['business, request on the 20th day', ['--business', '--substitute-request', '2026-04-22', '--today', '2026-04-30'], { indemnity: { euro: 840, eligible: true } }],
    ['business, request on the 21st day', ['--business', '--substitute-request', '2026-04-23', '--today', '2026-04-30'], { indemnity: { euro: 0, eligible: false } }],
    ['business, capped at 2,000 €', ['--business', '--substitute-request', '2026-04-10', '--today', '2026-12-01'], { delayDays: 243, indemnity: { euro: 2000, eligible: true } }],
    ['business without a request: not yet due, with the last day', ['--business', '--today', '2026-04-12'], { substituteRequestBy: '2026-04-22', indemnity: { euro: 0, eligible: false } }],
    ['not business: nothing', ['--substitute-request', '2026-04-10', '--today', '2026-04-12'], { indemnity: { euro: 0, eligible: false } }],
    ['silenzio-assenso excludes the indemnity and accepts the application', ['--business', '--silenzio-assenso', '--substitute-request', '2026-04-10', '--today', '2026-04-12'], { silenceAccepted: true, acceptedFrom: '2026-04-03', indemnity: { euro: 0, eligible: false } }],
    ['silenzio-assenso on the deadline day: not yet accepted', ['--silenzio-assenso', '--today', '2026-04-02'], { silenceAccepted: false, acceptedFrom: null }],
    ['silenzio-assenso decided in time', ['--silenzio-assenso', '--close', '2026-04-01', '--today', '2026-05-01'], { silenceAccepted: false, acceptedFrom: null }],
  ];
  for (const [name, argv, expected] of rows) {
    test(name, () => {
      const body = json('--from', '2026-03-03', ...(argv.includes('--term') ? [] : ['--term', '30d']), ...argv);
      for (const [key, value] of Object.entries(expected)) {
        if (key === 'indemnity') {
          const got = body['indemnity'] as Record<string, unknown>;
          for (const [k, v] of Object.entries(value as object)) assert.equal(got[k], v, `indemnity.${k}`);
          assert.equal(typeof got['reason'], 'string');
        } else {
          assert.deepEqual(body[key], value, key);
        }
      }
    });
  }

  test('text output explains each figure with its article', () => {
    const result = run('--from', '2026-03-03', '--term', '30d', '--business', '--substitute-request', '2026-04-10', '--today', '2026-04-12');
    assert.equal(result.exitCode, 0);
    const remedies = result.stdout.slice(result.stdout.indexOf('Rimedi in caso di ritardo:'));
    assert.equal(
      remedies,
      [
        'Rimedi in caso di ritardo:',
        '  - Ritardo: 10 giorni dalla scadenza del 02/04/2026 a oggi (art. 2 c.9-quinquies L. 241/1990)',
        '  - Richiesta al titolare del potere sostitutivo il 10/04/2026: deve concludere entro la metà del termine originario (30 giorni → 15 giorni), ' +
          'cioè entro il 27/04/2026 (il 25/04/2026 è festivo: spostata al primo giorno non festivo) (art. 2 c.9-ter L. 241/1990)',
        '  - Indennizzo da ritardo: 30 euro per 10 giorni di ritardo dal 02/04/2026 = 300 euro (art. 2-bis c.1-bis L. 241/1990; art. 28 c.1 D.L. 69/2013)',
        '',
      ].join('\n'),
    );
  });

  test('text output: overdue without a request says from when the substitute can be called; silenzio-assenso says since when', () => {
    const overdue = run('--from', '2026-03-03', '--term', '30d', '--today', '2026-04-12').stdout;
    assert.match(overdue, /- Potere sostitutivo: dal 03\/04\/2026 ci si può rivolgere al titolare del potere sostitutivo/);
    const silence = run('--from', '2026-03-03', '--term', '30d', '--silenzio-assenso', '--today', '2026-04-12').stdout;
    assert.match(silence, /- Silenzio-assenso: .* la domanda è accolta dal 03\/04\/2026 \(art\. 20 c\.1 L\. 241\/1990\).*art\. 20 c\.2-bis/);
  });

  test('no remedy option and not late: the text is as before', () => {
    assert.doesNotMatch(run('--from', '2026-03-03', '--term', '30d').stdout, /Rimedi/);
  });
});
