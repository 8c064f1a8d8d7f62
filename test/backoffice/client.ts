import { randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import type { App } from '../../src/adapters/web/app.ts';
import type { Db } from '../../src/adapters/db/database.ts';
import { DEMO_LOGINS } from '../../src/application/demo.ts';
import { TEST_STAFF_PASSWORDS } from '../support/services.ts';

export const ADMIN = { email: DEMO_LOGINS.adminEmail, password: DEMO_LOGINS.adminPassword };
/** the demo's office managers share the administrator's demo password */
export const VIAB_MANAGER = { email: 'paolo.garavini@provincia-fc.example', password: DEMO_LOGINS.adminPassword };
export const AMB_MANAGER = { email: 'elena.magnani@provincia-fc.example', password: DEMO_LOGINS.adminPassword };

export type Form = Record<string, string | string[] | undefined>;

/**
 * A browser without a browser: keeps cookies, reads the CSRF token from the last page, posts forms the way
 * a form would (application/x-www-form-urlencoded), all through app.inject.
 */
export class StaffClient {
  private cookies = new Map<string, string>();
  csrf = '';

  constructor(
    private readonly app: App,
    private readonly remoteAddress = '127.0.0.1',
  ) {}

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private remember(response: LightMyRequestResponse): void {
    for (const c of response.cookies as { name: string; value: string; maxAge?: number; expires?: Date }[]) {
      if (c.value === '' || c.maxAge === 0 || (c.expires && c.expires.getTime() < Date.now())) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    const token = /name="_csrf" value="([^"]+)"/.exec(response.body)?.[1];
    if (token) this.csrf = token;
  }

  async get(url: string): Promise<LightMyRequestResponse> {
    const response = await this.app.inject({ method: 'GET', url, headers: { cookie: this.cookieHeader() }, remoteAddress: this.remoteAddress });
    this.remember(response);
    return response;
  }

  /** Follows a 303 like a browser does. */
  async follow(response: LightMyRequestResponse): Promise<LightMyRequestResponse> {
    return response.statusCode === 303 || response.statusCode === 302 ? this.get(String(response.headers.location)) : response;
  }

  async post(url: string, form: Form, options: { csrf?: string | false } = {}): Promise<LightMyRequestResponse> {
    const body = new URLSearchParams();
    const csrf = options.csrf === false ? undefined : (options.csrf ?? this.csrf);
    if (csrf) body.append('_csrf', csrf);
    for (const [key, value] of Object.entries(form)) {
      if (value === undefined) continue;
      for (const v of Array.isArray(value) ? value : [value]) body.append(key, v);
    }
    const response = await this.app.inject({
      method: 'POST', url, payload: body.toString(), remoteAddress: this.remoteAddress,
      headers: { cookie: this.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
    });
    this.remember(response);
    return response;
  }

  /** Posts multipart/form-data, as a form with a file input does; the CSRF token first. */
  async postMultipart(url: string, parts: Record<string, string | Blob | [Blob, string]>): Promise<LightMyRequestResponse> {
    const form = new FormData();
    form.append('_csrf', this.csrf);
    for (const [key, value] of Object.entries(parts)) {
      if (Array.isArray(value)) form.append(key, value[0], value[1]);
      else form.append(key, value);
    }
    const request = new Request('http://localhost/', { method: 'POST', body: form });
    const response = await this.app.inject({
      method: 'POST', url, payload: Buffer.from(await request.arrayBuffer()), remoteAddress: this.remoteAddress,
      headers: { cookie: this.cookieHeader(), 'content-type': request.headers.get('content-type')! },
    });
    this.remember(response);
    return response;
  }

  async signIn(who: { email: string; password: string }): Promise<LightMyRequestResponse> {
    await this.get('/uffici/accesso');
    const response = await this.post('/uffici/accesso', { email: who.email, password: who.password });
    if (response.statusCode !== 303) throw new Error(`sign-in failed: ${response.statusCode}`);
    return this.follow(response);
  }

  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }
}

export async function createStaff(db: Db, input: { email: string; role: 'admin' | 'office-manager' | 'case-officer'; officeCode?: string; password: string; name?: string }): Promise<void> {
  const office = input.officeCode ? await db.selectFrom('offices').select('id').where('code', '=', input.officeCode).executeTakeFirstOrThrow() : undefined;
  await db.insertInto('staff').values({
    id: randomUUID(), office_id: office?.id ?? null, name: input.name ?? input.email, role: input.role, email: input.email,
    password_hash: await TEST_STAFF_PASSWORDS.hash(input.password),
  }).execute();
}

export async function caseOfOffice(db: Db, officeCode: string, state?: string): Promise<string> {
  let q = db.selectFrom('cases').innerJoin('offices', 'offices.id', 'cases.office_id').select('cases.code').where('offices.code', '=', officeCode);
  if (state) q = q.where('cases.state', '=', state as 'enrolled');
  const row = await q.orderBy('cases.created_at').executeTakeFirstOrThrow();
  return row.code;
}

/** The visible text of a page, tags stripped and entities of the kind kitajs writes decoded. */
export function text(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#(\d+);/g, (_m, n: string) => String.fromCharCode(Number(n)))
    .replace(/&#x([0-9a-f]+);/gi, (_m, n: string) => String.fromCharCode(parseInt(n, 16)))
    .replace(/&quot;/g, '"').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&apos;/g, "'")
    .replace(/\s+/g, ' ');
}
