/**
 * `pratica deadline`: computes a deadline from the command line and explains it in Italian.
 * A pure function over argv (the arguments after the sub-command name): no I/O, no clock, so tests call it directly.
 */
import {
  SUSPENSION_KINDS,
  computeDeadline,
  delayDays,
  delayText,
  firstSubstituteRequestDay,
  indemnity,
  silenceAcceptance,
  silenceText,
  substituteDeadline,
  substituteDeadlineText,
  formatItalianDate,
  formatTerm,
  italianWeekday,
  parseIsoDate,
  parseTerm,
  type ClockEvent,
  type DeadlineResult,
  type Indemnity,
  type SilenceAcceptance,
  type SubstituteDeadline,
  type HolidayCalendar,
  type IsoDate,
  type SuspensionKind,
  type Term,
} from '../domain/deadline/index.ts';
import { DomainError } from '../domain/errors.ts';

export interface CommandResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export const DEADLINE_USAGE = `Uso: pratica deadline --from AAAA-MM-GG --term TERMINE [opzioni] [EVENTI ...]

Calcola la scadenza di una pratica (L. 241/1990 art. 2; art. 155 c.p.c.) e spiega il calcolo.

  --from AAAA-MM-GG         data di ricevimento della domanda (il giorno iniziale non si conta)
  --term TERMINE            30d | 10wd | 3m, oppure il testo della scheda tra virgolette:
                            "20 gg. da ricevimento domanda", "10 giorni lavorativi", "3 mesi"
  --saturday-working        nei termini in giorni lavorativi il sabato è lavorativo
  --saturday-moves          una scadenza di sabato slitta al primo giorno non festivo
  --today AAAA-MM-GG        data di oggi: chiude per legge la sospensione art. 2 c.7 oltre i 30 giorni
                            e segnala i termini scaduti
  --close AAAA-MM-GG        data della decisione (chiusura del procedimento)

RIMEDI DEL RITARDO:
  --substitute-request AAAA-MM-GG
                            data in cui il cittadino si è rivolto al titolare del potere sostitutivo
                            (art. 2 c.9-bis L. 241/1990): calcola la sua scadenza, metà del termine
                            originario (c.9-ter); ammessa solo dal giorno dopo la scadenza
  --business                il procedimento riguarda l'avvio o l'esercizio di un'attività d'impresa:
                            indennizzo da ritardo di 30 euro al giorno, massimo 2.000 euro
                            (art. 2-bis c.1-bis L. 241/1990; art. 28 D.L. 69/2013)
  --silenzio-assenso        al procedimento si applica il silenzio-assenso (art. 20 L. 241/1990)

  --json                    stampa un oggetto JSON invece del testo
  --help                    mostra questo aiuto

EVENTI, ripetibili, in ordine di data:
  --suspend AAAA-MM-GG:TIPO sospensione; TIPO = art2c7 (integrazioni, una sola volta, max 30 giorni)
                            | art10bis (preavviso di rigetto) | other (altra causa)
  --resume AAAA-MM-GG       riattivazione
  --observations AAAA-MM-GG osservazioni del cittadino dopo il preavviso di rigetto (art. 10-bis)
  --interrupt AAAA-MM-GG    interruzione: alla riattivazione il termine ricomincia per intero

Esempio:
  pratica deadline --from 2026-03-03 --term "30 giorni" --suspend 2026-03-10:art2c7 --resume 2026-03-20
`;

const VALUE_FLAGS = ['from', 'term', 'today', 'suspend', 'resume', 'observations', 'interrupt', 'close', 'substitute-request'] as const;
const BOOLEAN_FLAGS = ['saturday-working', 'saturday-moves', 'business', 'silenzio-assenso', 'json', 'help'] as const;
type ValueFlag = (typeof VALUE_FLAGS)[number];
type BooleanFlag = (typeof BOOLEAN_FLAGS)[number];

// an interruption has its own option (--interrupt)
const SUSPEND_KINDS: readonly SuspensionKind[] = SUSPENSION_KINDS.filter((kind) => kind !== 'interruption');

/** A refusal of the command line, already worded for stderr. */
class UsageError extends Error {}

interface ParsedArgs {
  from: IsoDate;
  term: Term;
  today?: IsoDate;
  saturdayWorking: boolean;
  saturdayMoves: boolean;
  close?: IsoDate;
  substituteRequest?: IsoDate;
  business: boolean;
  silenzioAssenso: boolean;
  json: boolean;
  events: ClockEvent[];
  /** the option that produced each event, to name it in errors */
  eventSources: string[];
}

const lowerFirst = (s: string): string => s.charAt(0).toLowerCase() + s.slice(1);

function refuse(flag: string, value: string, message: string): UsageError {
  return new UsageError(`--${flag} ${value}: ${message}`);
}

function dateOf(flag: string, value: string, raw: string = value): IsoDate {
  try {
    return parseIsoDate(value);
  } catch (error) {
    if (error instanceof DomainError) throw refuse(flag, raw, error.message);
    throw error;
  }
}

function parseArgs(argv: readonly string[]): ParsedArgs {
  let from: IsoDate | undefined;
  let term: Term | undefined;
  let today: IsoDate | undefined;
  let close: IsoDate | undefined;
  let substituteRequest: IsoDate | undefined;
  const flags = { 'saturday-working': false, 'saturday-moves': false, business: false, 'silenzio-assenso': false, json: false };
  const events: ClockEvent[] = [];
  const eventSources: string[] = [];

  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] ?? '';
    if (!token.startsWith('--')) {
      throw new UsageError(
        `argomento inatteso "${token}" (un termine con spazi va racchiuso tra virgolette: --term "10 giorni lavorativi")`,
      );
    }
    const eq = token.indexOf('=');
    const name = eq === -1 ? token.slice(2) : token.slice(2, eq);

    if ((BOOLEAN_FLAGS as readonly string[]).includes(name)) {
      if (eq !== -1) throw new UsageError(`--${name} non accetta un valore`);
      if (name !== 'help') flags[name as Exclude<BooleanFlag, 'help'>] = true;
      continue;
    }
    if (!(VALUE_FLAGS as readonly string[]).includes(name)) {
      throw new UsageError(`opzione sconosciuta ${token.slice(0, eq === -1 ? undefined : eq)} (vedi pratica deadline --help)`);
    }
    const flag = name as ValueFlag;
    let value: string;
    if (eq !== -1) {
      value = token.slice(eq + 1);
    } else {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) throw new UsageError(`--${flag} richiede un valore`);
      value = next;
      i++;
    }
    if (value.trim() === '') throw new UsageError(`--${flag} richiede un valore`);

    switch (flag) {
      case 'from':
        if (from !== undefined) throw new UsageError('--from indicato più volte');
        from = dateOf(flag, value);
        break;
      case 'today':
        if (today !== undefined) throw new UsageError('--today indicato più volte');
        today = dateOf(flag, value);
        break;
      case 'close':
        if (close !== undefined) throw new UsageError('--close indicato più volte');
        close = dateOf(flag, value);
        break;
      case 'substitute-request':
        if (substituteRequest !== undefined) throw new UsageError('--substitute-request indicato più volte');
        substituteRequest = dateOf(flag, value);
        break;
      case 'term':
        if (term !== undefined) throw new UsageError('--term indicato più volte');
        try {
          term = parseTerm(value);
        } catch (error) {
          if (error instanceof DomainError) throw refuse(flag, `"${value}"`, lowerFirst(error.message));
          throw error;
        }
        break;
      case 'suspend': {
        const colon = value.lastIndexOf(':');
        if (colon === -1) {
          throw refuse(flag, value, `atteso AAAA-MM-GG:TIPO (TIPO = ${SUSPEND_KINDS.join(' | ')})`);
        }
        const date = dateOf(flag, value.slice(0, colon), value);
        const kind = value.slice(colon + 1) as SuspensionKind;
        if (!SUSPEND_KINDS.includes(kind)) {
          throw refuse(flag, value, `tipo di sospensione sconosciuto "${kind}" (ammessi: ${SUSPEND_KINDS.join(', ')})`);
        }
        events.push({ type: 'suspend', date, kind });
        eventSources.push(`--suspend ${value}`);
        break;
      }
      case 'interrupt':
        events.push({ type: 'suspend', date: dateOf(flag, value), kind: 'interruption' });
        eventSources.push(`--interrupt ${value}`);
        break;
      case 'resume':
      case 'observations':
        events.push({ type: flag, date: dateOf(flag, value) });
        eventSources.push(`--${flag} ${value}`);
        break;
    }
  }

  if (from === undefined) throw new UsageError('manca --from AAAA-MM-GG (data di ricevimento della domanda)');
  if (term === undefined) throw new UsageError('manca --term (es. 30d, 10wd, 3m o "30 giorni")');
  if (close !== undefined && close < from) {
    throw refuse('close', close, `la decisione non può precedere il ricevimento della domanda (${formatItalianDate(from)})`);
  }
  if (close !== undefined && substituteRequest !== undefined && substituteRequest > close) {
    throw refuse('substitute-request', substituteRequest, `la richiesta al titolare del potere sostitutivo è successiva alla decisione (${formatItalianDate(close)})`);
  }
  return {
    from,
    term,
    ...(today !== undefined ? { today } : {}),
    saturdayWorking: flags['saturday-working'],
    saturdayMoves: flags['saturday-moves'],
    ...(close !== undefined ? { close } : {}),
    ...(substituteRequest !== undefined ? { substituteRequest } : {}),
    business: flags.business,
    silenzioAssenso: flags['silenzio-assenso'],
    json: flags.json,
    events,
    eventSources,
  };
}

const longDate = (d: IsoDate): string => `${italianWeekday(d)} ${formatItalianDate(d)}`;

/** The remedies of a late office, computed from the deadline (L. 241/1990 art. 2 c.9-bis/9-ter, 2-bis, 20). */
interface Remedies {
  substitute: SubstituteDeadline | null;
  delayDays: number;
  indemnity: Indemnity;
  silence: SilenceAcceptance;
  /** any remedy option was given, or the deadline has passed: the text explains the remedies */
  shown: boolean;
}

function computeRemedies(args: ParsedArgs, result: DeadlineResult, calendar: HolidayCalendar): Remedies {
  const counting = { calendar, saturdayWorking: args.saturdayWorking, saturdayMovesDeadline: args.saturdayMoves };
  const substitute =
    args.substituteRequest === undefined
      ? null
      : substituteDeadline({ from: args.from, term: args.term, deadline: result.deadline, request: args.substituteRequest, ...counting });
  const delay = delayDays(result.deadline, args.close, args.today);
  return {
    substitute,
    delayDays: delay,
    indemnity: indemnity({
      business: args.business,
      silenzioAssenso: args.silenzioAssenso,
      deadline: result.deadline,
      substituteRequest: args.substituteRequest,
      delayDays: delay,
      ...counting,
    }),
    silence: silenceAcceptance({ silenzioAssenso: args.silenzioAssenso, deadline: result.deadline, decision: args.close, today: args.today }),
    shown: delay > 0 || args.business || args.silenzioAssenso || args.substituteRequest !== undefined || args.close !== undefined,
  };
}

function renderRemedies(args: ParsedArgs, result: DeadlineResult, remedies: Remedies): string[] {
  if (!remedies.shown) return [];
  const lines = ['Rimedi in caso di ritardo:'];
  if (args.close !== undefined || args.today !== undefined) lines.push(`  - ${delayText(result.deadline, remedies.delayDays, args.close)}`);
  if (remedies.substitute !== null && args.substituteRequest !== undefined) {
    lines.push(`  - ${substituteDeadlineText(args.substituteRequest, remedies.substitute, args.term)}`);
  } else if (remedies.delayDays > 0 && result.deadline !== null && args.close === undefined) {
    lines.push(
      `  - Potere sostitutivo: dal ${formatItalianDate(firstSubstituteRequestDay(result.deadline))} ci si può rivolgere al titolare del potere sostitutivo, ` +
        'che deve concludere entro la metà del termine originario (art. 2 c.9-bis e c.9-ter L. 241/1990)',
    );
  }
  lines.push(`  - ${remedies.indemnity.reason}`);
  if (args.silenzioAssenso) lines.push(`  - ${silenceText(remedies.silence)}`);
  return lines;
}

function renderText(result: DeadlineResult, term: Term, from: IsoDate, remedyLines: string[] = []): string {
  const lines: string[] = [];
  if (result.deadline === null) {
    lines.push('Scadenza: non determinabile finché la sospensione o interruzione in corso non termina');
  } else {
    lines.push(`Scadenza${result.provisional ? ' (provvisoria)' : ''}: ${longDate(result.deadline)}`);
  }
  const restarted = result.termStart !== from ? ` (ricominciato il ${formatItalianDate(result.termStart)})` : '';
  lines.push(`Termine: ${formatTerm(term)} dal ${formatItalianDate(from)}${restarted}`);
  if (result.suspendedDays > 0) lines.push(`Giorni di sospensione: ${result.suspendedDays}`);
  lines.push('Calcolo:');
  for (const step of result.steps) lines.push(`  - ${step.text}`);
  if (result.warnings.length > 0) {
    lines.push('Avvertenze:');
    for (const warning of result.warnings) lines.push(`  ! ${warning.text}`);
  }
  lines.push(...remedyLines);
  return `${lines.join('\n')}\n`;
}

function renderJson(result: DeadlineResult, term: Term, remedies: Remedies): string {
  const { deadline, provisional, baseDeadline, termStart, suspendedDays, suspensions, steps, warnings } = result;
  const body = {
    deadline,
    provisional,
    baseDeadline,
    termStart,
    suspendedDays,
    suspensions,
    steps,
    warnings,
    term: { amount: term.amount, unit: term.unit, text: formatTerm(term) },
    substituteDeadline: remedies.substitute?.date ?? null,
    substituteRequestBy: remedies.indemnity.requestBy ?? null,
    delayDays: remedies.delayDays,
    indemnity: { euro: remedies.indemnity.euro, eligible: remedies.indemnity.eligible, reason: remedies.indemnity.reason },
    silenceAccepted: remedies.silence.accepted,
    acceptedFrom: remedies.silence.acceptedFrom,
  };
  return `${JSON.stringify(body, null, 2)}\n`;
}

const failure = (message: string): CommandResult => ({ exitCode: 2, stdout: '', stderr: `errore: ${message}\n` });

/** Runs `pratica deadline`; exit 0 on success or --help, 2 on any refusal (message on stderr). */
export function runDeadlineCommand(argv: string[], calendar: HolidayCalendar): CommandResult {
  if (argv.includes('--help') || argv.includes('-h')) return { exitCode: 0, stdout: DEADLINE_USAGE, stderr: '' };
  let args: ParsedArgs;
  try {
    args = parseArgs(argv);
  } catch (error) {
    if (error instanceof UsageError) return failure(error.message);
    throw error;
  }
  try {
    const result = computeDeadline({
      from: args.from,
      term: args.term,
      saturdayWorking: args.saturdayWorking,
      saturdayMovesDeadline: args.saturdayMoves,
      events: args.events,
      calendar,
      ...(args.today !== undefined ? { today: args.today } : {}),
    });
    const remedies = computeRemedies(args, result, calendar);
    const stdout = args.json ? renderJson(result, args.term, remedies) : renderText(result, args.term, args.from, renderRemedies(args, result, remedies));
    return { exitCode: 0, stdout, stderr: '' };
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    const index = error.details['eventIndex'];
    const source =
      typeof index === 'number'
        ? args.eventSources[index]
        : (error.code === 'substitute-request-too-early' || error.code === 'deadline-unknown') && args.substituteRequest !== undefined
          ? `--substitute-request ${args.substituteRequest}`
          : undefined;
    return failure(source ? `${source}: ${lowerFirst(error.message)}` : lowerFirst(error.message));
  }
}
