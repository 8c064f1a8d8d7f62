import { AjvCompiler } from '@fastify/ajv-compiler';
import type { ErrorObject } from 'ajv';
import { FINITE_RULE_KEYWORD } from './problems.ts';

type BuildCompiler = ReturnType<typeof AjvCompiler>;
type Compile = ReturnType<BuildCompiler>;
type Validate = ReturnType<Compile>;

/** The first number in a parsed value that is not finite ("1e400" read as a number is Infinity), with its path. */
function infinitePath(value: unknown, path: string): string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : path;
  if (value === null || typeof value !== 'object') return undefined;
  for (const [key, inner] of Object.entries(value)) {
    const found = infinitePath(inner, `${path}/${key}`);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** Ajv coerces "1e400" to Infinity and then skips minimum and maximum: such a value is refused as not a number. */
function finiteNumbers(validate: Validate): Validate {
  const checked = ((data: unknown) => {
    const valid = validate(data);
    const path = valid === true ? infinitePath(data, '') : undefined;
    const refused: ErrorObject | undefined = path === undefined
      ? undefined
      : { keyword: FINITE_RULE_KEYWORD, instancePath: path, schemaPath: '', params: {}, message: 'deve essere un numero finito' };
    checked.errors = refused ? [refused] : validate.errors;
    return valid === true && !refused;
  }) as Validate;
  return checked;
}

/**
 * Bodies are JSON with types of their own: taken as sent, never converted (a number is not a text, a text is not a
 * list). The path, the query string and the headers are text: read as their schema says, and every number finite.
 */
export function buildValidator(...[externalSchemas, options]: Parameters<BuildCompiler>): Compile {
  const pool = AjvCompiler();
  const custom = options?.mode === 'JTD' ? {} : options?.customOptions;
  const asSent = pool(externalSchemas, { ...options, mode: undefined, customOptions: { ...custom, coerceTypes: false } });
  const fromText = pool(externalSchemas, { ...options, mode: undefined, customOptions: { ...custom } });
  return (route) => (route.httpPart === 'body' ? asSent(route) : finiteNumbers(fromText(route)));
}
