/** Things the service counts, and how many of them: "1 giorno", "2 giorni", "1 second". Declared once. */
export type CountedUnit = 'day' | 'working-day' | 'month' | 'second' | 'minute';
export type CountLanguage = 'it' | 'en';

const FORMS: Readonly<Record<CountLanguage, Readonly<Record<CountedUnit, readonly [one: string, many: string]>>>> = {
  it: {
    day: ['giorno', 'giorni'],
    'working-day': ['giorno lavorativo', 'giorni lavorativi'],
    month: ['mese', 'mesi'],
    second: ['secondo', 'secondi'],
    minute: ['minuto', 'minuti'],
  },
  en: {
    day: ['day', 'days'],
    'working-day': ['working day', 'working days'],
    month: ['month', 'months'],
    second: ['second', 'seconds'],
    minute: ['minute', 'minutes'],
  },
};

/** The number and its unit, singular for exactly one (in both languages, -1 and 1 alike). */
export function counted(n: number, unit: CountedUnit, lang: CountLanguage = 'it'): string {
  const [one, many] = FORMS[lang][unit];
  return `${n} ${Math.abs(n) === 1 ? one : many}`;
}
