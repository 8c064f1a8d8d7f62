/**
 * /calcola-scadenza: the public deadline calculator, for citizens and professionals, on the engine the cases use.
 * A GET form (nothing is written, nothing to protect), no sign-in.
 */
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { AppDeps } from '../deps.ts';
import { Layout } from '../ui/layout.tsx';
import type { Dictionary, Lang } from '../ui/i18n.ts';
import { loadPageAdministration } from '../../../application/administration.ts';
import { CALCULATOR_KINDS, CALCULATOR_SUSPENSIONS, calculateDeadline } from '../../../application/calculator.ts';
import type { CalculatorInput, CalculatorProblem, CalculatorResult } from '../../../application/calculator.ts';
import { formatItalianDate, formatTerm, italianWeekday } from '../../../domain/deadline/index.ts';

type Key =
  | 'title' | 'intro' | 'termSection' | 'from' | 'fromHint' | 'term' | 'termHint' | 'saturdayWorking' | 'saturdayMoves'
  | 'suspensions' | 'suspensionsHint' | 'suspension' | 'suspensionFrom' | 'suspensionTo' | 'suspensionToHint' | 'kind'
  | 'art2c7' | 'art10bis' | 'other' | 'remediesSection' | 'remediesHint' | 'today' | 'close' | 'substituteRequest' | 'business' | 'silenzio'
  | 'submit' | 'errors' | 'result' | 'deadline' | 'unknown' | 'provisional' | 'steps' | 'warnings' | 'remedies' | 'italianOnly' | 'disclaimer';

const TEXT: Dictionary<Key> = {
  it: {
    title: 'Calcola la scadenza di un procedimento',
    intro: 'Il calcolo segue le regole del servizio (L. 241/1990 art. 2; art. 2963 c.c. e art. 155 c.p.c.): il giorno della domanda non si conta, una scadenza di domenica o in un giorno festivo nazionale passa al primo giorno non festivo. Non serve accedere e nulla viene registrato.',
    termSection: 'Domanda e termine',
    from: 'Data di ricevimento della domanda',
    fromHint: 'La data del protocollo (art. 18-bis L. 241/1990), nel formato AAAA-MM-GG.',
    term: 'Termine del procedimento',
    termHint: 'Come nella scheda: "30 giorni", "10 giorni lavorativi", "3 mesi", oppure 30d, 10wd, 3m.',
    saturdayWorking: 'Nei termini in giorni lavorativi il sabato è lavorativo',
    saturdayMoves: 'Una scadenza di sabato passa al primo giorno non festivo',
    suspensions: 'Sospensioni',
    suspensionsHint: 'Lasciare vuote le righe che non servono; senza data di fine la sospensione è in corso.',
    suspension: 'Sospensione {n}',
    suspensionFrom: 'Dal',
    suspensionTo: 'Al (riattivazione)',
    suspensionToHint: 'Vuota se ancora in corso.',
    kind: 'Tipo',
    art2c7: 'Integrazione documentale (art. 2 c.7, una volta, al massimo 30 giorni)',
    art10bis: 'Preavviso di rigetto (art. 10-bis)',
    other: 'Altra causa prevista dalla legge',
    remediesSection: 'Ritardo e rimedi',
    remediesHint: 'Facoltativo: per sapere il ritardo, il termine del titolare del potere sostitutivo e l\'indennizzo da ritardo.',
    today: 'Data di oggi',
    close: 'Data della decisione, se adottata',
    substituteRequest: 'Data della richiesta al titolare del potere sostitutivo',
    business: 'Il procedimento riguarda l\'avvio o l\'esercizio di un\'attività d\'impresa (art. 2-bis c.1-bis L. 241/1990)',
    silenzio: 'Al procedimento si applica il silenzio-assenso (art. 20 L. 241/1990)',
    submit: 'Calcola',
    errors: 'Correggere i dati indicati',
    result: 'Risultato',
    deadline: 'Scadenza',
    unknown: 'non determinabile finché la sospensione in corso non termina',
    provisional: 'provvisoria',
    steps: 'Come è calcolata',
    warnings: 'Avvertenze',
    remedies: 'Rimedi in caso di ritardo',
    italianOnly: '',
    disclaimer: 'Il calcolo ha valore informativo; i festivi locali (santo patrono) non spostano la scadenza ma l\'ufficio è chiuso.',
  },
  en: {
    title: 'Work out the deadline of a procedure',
    intro: 'The calculation follows the service\'s rules (L. 241/1990 art. 2; civil code art. 2963 and civil procedure code art. 155): the day of the application is not counted, and a deadline on a Sunday or national holiday moves to the next day that is neither. No sign-in is needed and nothing is recorded.',
    termSection: 'Application and time limit',
    from: 'Date the application was received',
    fromHint: 'The registration date (L. 241/1990 art. 18-bis), as YYYY-MM-DD.',
    term: 'Time limit of the procedure',
    termHint: 'As on the card: "30 giorni", "10 giorni lavorativi", "3 mesi", or 30d, 10wd, 3m.',
    saturdayWorking: 'In working-day limits Saturday is a working day',
    saturdayMoves: 'A deadline on Saturday moves to the next working day',
    suspensions: 'Suspensions',
    suspensionsHint: 'Leave unused rows empty; without an end date the suspension is still running.',
    suspension: 'Suspension {n}',
    suspensionFrom: 'From',
    suspensionTo: 'To (resumption)',
    suspensionToHint: 'Empty if still running.',
    kind: 'Kind',
    art2c7: 'Missing information (art. 2 c.7, once, at most 30 days)',
    art10bis: 'Notice of the reasons for refusal (art. 10-bis)',
    other: 'Another cause set by law',
    remediesSection: 'Delay and remedies',
    remediesHint: 'Optional: to know the delay, the time limit of the holder of the substitute power and the indemnity for delay.',
    today: 'Today\'s date',
    close: 'Date of the decision, if taken',
    substituteRequest: 'Date of the request to the holder of the substitute power',
    business: 'The procedure concerns the start or exercise of a business activity (L. 241/1990 art. 2-bis c.1-bis)',
    silenzio: 'Silence means consent applies to the procedure (L. 241/1990 art. 20)',
    submit: 'Calculate',
    errors: 'Please correct the data shown',
    result: 'Result',
    deadline: 'Deadline',
    unknown: 'not known until the running suspension ends',
    provisional: 'provisional',
    steps: 'How it is worked out',
    warnings: 'Warnings',
    remedies: 'Remedies for delay',
    italianOnly: 'The explanation is in Italian, the language of the law.',
    disclaimer: 'The calculation is for information; local holidays (patron saints) do not move the deadline, but the office is closed.',
  },
};

type Query = Record<string, string | undefined>;

function inputOf(query: Query, today: string): CalculatorInput {
  const s = (name: string): string => (typeof query[name] === 'string' ? query[name]! : '');
  const yes = (name: string): boolean => s(name) === 'yes';
  return {
    from: s('from'),
    term: s('term'),
    saturdayWorking: yes('saturdayWorking'),
    saturdayMoves: yes('saturdayMoves'),
    suspensions: Array.from({ length: CALCULATOR_SUSPENSIONS }, (_, i) => ({ from: s(`s${i + 1}from`), to: s(`s${i + 1}to`), kind: s(`s${i + 1}kind`) || 'art2c7' })),
    today: s('today') || today,
    close: s('close'),
    substituteRequest: s('substituteRequest'),
    business: yes('business'),
    silenzioAssenso: yes('silenzio'),
  };
}

function Input(props: { name: string; label: string; value: string; type?: string; hint?: string; problems: CalculatorProblem[]; required?: boolean }): JSX.Element {
  const problem = props.problems.find((p) => p.field === props.name);
  const described = [props.hint ? `${props.name}-hint` : '', problem ? `${props.name}-error` : ''].filter(Boolean).join(' ');
  return (
    <div class="form-group mb-4">
      <label for={props.name} class="active" safe>{props.label}</label>
      <input
        type={props.type ?? 'text'} class={`form-control${problem ? ' is-invalid' : ''}`} id={props.name} name={props.name} value={props.value}
        required={props.required} aria-describedby={described || undefined} aria-invalid={problem ? 'true' : undefined} maxlength="200"
      />
      {props.hint ? <small id={`${props.name}-hint`} class="form-text" safe>{props.hint}</small> : <></>}
      {problem ? <div id={`${props.name}-error`} class="invalid-feedback d-block" safe>{problem.text}</div> : <></>}
    </div>
  );
}

function Check(props: { name: string; label: string; checked: boolean }): JSX.Element {
  return (
    <div class="form-check mb-3">
      <input type="checkbox" id={props.name} name={props.name} value="yes" checked={props.checked} />
      <label for={props.name} safe>{props.label}</label>
    </div>
  );
}

function Result(props: { lang: Lang; result: CalculatorResult }): JSX.Element {
  const t = TEXT[props.lang];
  const { deadline } = props.result;
  const when = deadline.deadline
    ? `${italianWeekday(deadline.deadline)} ${formatItalianDate(deadline.deadline)}${deadline.provisional ? ` (${t.provisional})` : ''}`
    : t.unknown;
  const it = props.lang === 'it' ? undefined : 'it';
  return (
    <section aria-labelledby="result-title" class="callout note mt-4" aria-live="polite">
      <h2 id="result-title" class="h4" safe>{t.result}</h2>
      <p class="lead">
        <strong safe>{`${t.deadline}: `}</strong>
        <span lang={deadline.deadline ? it : undefined} safe>{when}</span>
        <span safe>{` — ${formatTerm(props.result.term)}`}</span>
      </p>
      {t.italianOnly ? <p class="small" safe>{t.italianOnly}</p> : <></>}
      <h3 class="h5" safe>{t.steps}</h3>
      <ol lang={it}>
        {deadline.steps.map((s) => <li safe>{s.text}</li>)}
      </ol>
      {deadline.warnings.length > 0 ? (
        <>
          <h3 class="h5" safe>{t.warnings}</h3>
          <ul lang={it}>{deadline.warnings.map((w) => <li safe>{w.text}</li>)}</ul>
        </>
      ) : (
        <></>
      )}
      <h3 class="h5" safe>{t.remedies}</h3>
      <ul lang={it} class="mb-0">{props.result.remedies.map((r) => <li safe>{r}</li>)}</ul>
    </section>
  );
}

export function calculatorRoutes(deps: AppDeps): FastifyPluginAsync {
  return async (app: FastifyInstance) => {
    app.get('/calcola-scadenza', { schema: { hide: true } }, async (request, reply) => {
      const t = TEXT[request.lang];
      const query = (request.query ?? {}) as Query;
      const input = inputOf(query, deps.clock.today());
      const asked = typeof query.from === 'string' || typeof query.term === 'string';
      const outcome = asked ? await calculateDeadline(deps.db, input) : undefined;
      const problems = outcome && 'problems' in outcome ? outcome.problems : [];
      const administration = await loadPageAdministration(deps.db);
      const kindLabel = { art2c7: t.art2c7, art10bis: t.art10bis, other: t.other } as const;
      return reply
        .code(problems.length > 0 ? 400 : 200)
        .type('text/html; charset=utf-8')
        .send(
          <Layout lang={request.lang} title={t.title} area="portal" administration={administration} path={request.url} demo={!deps.production}>
            <h1 safe>{t.title}</h1>
            <p safe>{t.intro}</p>
            {problems.length > 0 ? (
              <div class="alert alert-danger" role="alert" id="errors" tabindex="-1">
                <h2 class="h5" safe>{t.errors}</h2>
                <ul class="mb-0">{problems.map((p) => <li><a href={`#${p.field}`} safe>{p.text}</a></li>)}</ul>
              </div>
            ) : (
              <></>
            )}
            <form method="get" action="/calcola-scadenza" novalidate>
              <fieldset class="mb-4">
                <legend class="h4" safe>{t.termSection}</legend>
                <Input name="from" label={t.from} type="date" value={input.from} hint={t.fromHint} problems={problems} required />
                <Input name="term" label={t.term} value={input.term} hint={t.termHint} problems={problems} required />
                <Check name="saturdayWorking" label={t.saturdayWorking} checked={input.saturdayWorking} />
                <Check name="saturdayMoves" label={t.saturdayMoves} checked={input.saturdayMoves} />
              </fieldset>
              <fieldset class="mb-4">
                <legend class="h4" safe>{t.suspensions}</legend>
                <p class="small" safe>{t.suspensionsHint}</p>
                {input.suspensions.map((s, i) => {
                  const n = i + 1;
                  return (
                    <fieldset class="mb-3">
                      <legend class="h6" safe>{t.suspension.replace('{n}', String(n))}</legend>
                      <div class="row">
                        <div class="col-md-4"><Input name={`s${n}from`} label={t.suspensionFrom} type="date" value={s.from} problems={problems} /></div>
                        <div class="col-md-4"><Input name={`s${n}to`} label={t.suspensionTo} type="date" value={s.to} hint={t.suspensionToHint} problems={problems} /></div>
                        <div class="col-md-4">
                          <div class="select-wrapper mb-4">
                            <label for={`s${n}kind`} safe>{t.kind}</label>
                            <select id={`s${n}kind`} name={`s${n}kind`}>
                              {CALCULATOR_KINDS.map((k) => <option value={k} selected={s.kind === k} safe>{kindLabel[k as keyof typeof kindLabel]}</option>)}
                            </select>
                          </div>
                        </div>
                      </div>
                    </fieldset>
                  );
                })}
              </fieldset>
              <fieldset class="mb-4">
                <legend class="h4" safe>{t.remediesSection}</legend>
                <p class="small" safe>{t.remediesHint}</p>
                <Input name="today" label={t.today} type="date" value={input.today} problems={problems} />
                <Input name="close" label={t.close} type="date" value={input.close} problems={problems} />
                <Input name="substituteRequest" label={t.substituteRequest} type="date" value={input.substituteRequest} problems={problems} />
                <Check name="business" label={t.business} checked={input.business} />
                <Check name="silenzio" label={t.silenzio} checked={input.silenzioAssenso} />
              </fieldset>
              <button type="submit" class="btn btn-primary" safe>{t.submit}</button>
            </form>
            {outcome && 'result' in outcome ? <Result lang={request.lang} result={outcome.result} /> : <></>}
            <p class="small mt-4" safe>{t.disclaimer}</p>
          </Layout>,
        );
    });
  };
}
