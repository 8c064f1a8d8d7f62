/** Italian first; English available. Each page module keeps its own dictionary with both languages. */
export type Lang = 'it' | 'en';

export type Dictionary<K extends string> = Record<Lang, Record<K, string>>;

/** Picks the language: ?lang= (remembered in a cookie), then the cookie, then Accept-Language, then Italian. */
export function chooseLang(query: unknown, cookie: string | undefined, acceptLanguage: string | undefined): Lang {
  const asked = typeof query === 'string' ? query : undefined;
  if (asked === 'it' || asked === 'en') return asked;
  if (cookie === 'it' || cookie === 'en') return cookie;
  const preferred = (acceptLanguage ?? '').split(',')[0]?.trim().slice(0, 2).toLowerCase();
  return preferred === 'en' ? 'en' : 'it';
}

/** Fills {name} placeholders. */
export function format(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}
