/** The portal on a fresh database with the demo catalogue, a clock the test can move, and a cookie jar. */
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import type { Clock } from '../../src/application/clock.ts';
import { italianDay } from '../../src/application/clock.ts';
import { DEMO_LOGINS } from '../../src/application/demo.ts';
import { createTestApp } from '../support/app.ts';
import type { TestApp } from '../support/app.ts';
import { TODAY } from '../support/fixtures.ts';

export const PASSWORD = DEMO_LOGINS.casePassword;

export interface MovableClock extends Clock {
  advance(seconds: number): void;
}

export function movableClock(today = TODAY): MovableClock {
  let instant = new Date(`${today}T10:00:00+01:00`).getTime();
  return {
    now: () => new Date(instant),
    today: () => italianDay(new Date(instant)),
    advance(seconds: number) {
      instant += seconds * 1000;
    },
  };
}

export type PortalTestApp = TestApp<MovableClock>;

export function createPortalApp(options: { production?: boolean } = {}): Promise<PortalTestApp> {
  return createTestApp({ ...options, clock: movableClock() });
}

/** A demo case by a word of its subject. */
export async function demoCase(testApp: PortalTestApp, subjectWord: string): Promise<{ id: string; code: string; state: string; office_id: string }> {
  return testApp.database.db
    .selectFrom('cases')
    .select(['id', 'code', 'state', 'office_id'])
    .where('subject', 'like', `%${subjectWord}%`)
    .executeTakeFirstOrThrow();
}

/** What a browser keeps between requests: cookies (by name) and the client's address. */
export class Visitor {
  readonly cookies = new Map<string, string>();
  constructor(
    readonly testApp: PortalTestApp,
    readonly address = '198.51.100.7',
  ) {}

  private remember(response: LightMyRequestResponse): void {
    for (const cookie of response.cookies) {
      if (cookie.value === '' || (cookie.maxAge !== undefined && cookie.maxAge <= 0) || (cookie.expires && cookie.expires.getTime() < Date.now())) this.cookies.delete(cookie.name);
      else this.cookies.set(cookie.name, cookie.value);
    }
  }

  async get(url: string): Promise<LightMyRequestResponse> {
    const response = await this.testApp.app.inject({ method: 'GET', url, cookies: Object.fromEntries(this.cookies), remoteAddress: this.address });
    this.remember(response);
    return response;
  }

  async post(url: string, form: Record<string, string>): Promise<LightMyRequestResponse> {
    const response = await this.testApp.app.inject({
      method: 'POST',
      url,
      cookies: Object.fromEntries(this.cookies),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      remoteAddress: this.address,
      payload: new URLSearchParams(form).toString(),
    });
    this.remember(response);
    return response;
  }

  /** Posts a form of the page at `pageUrl`, with the CSRF token that page carried. */
  async submit(pageUrl: string, action: string, form: Record<string, string>): Promise<LightMyRequestResponse> {
    const page = await this.get(pageUrl);
    return this.post(action, { _csrf: csrfOf(page.body), ...form });
  }

  async signIn(code: string, password: string = PASSWORD): Promise<LightMyRequestResponse> {
    return this.submit('/pratica', '/pratica/accesso', { code, password });
  }
}

export function csrfOf(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  assert.ok(match, 'the page carries a CSRF token');
  return match[1]!;
}

/** The visible text of a page, tags removed and entities decoded: what a reader sees. */
export function visibleText(html: string): string {
  return html
    .replace(/<(script|style)[\s\S]*?<\/\1>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)))
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&#x27;/g, "'")
    .replace(/\s+/g, ' ');
}

/**
 * Reads until `done` holds or 5 s pass, and returns the last read. A change written by another process
 * reaches a web process's cached pages when PostgreSQL delivers its notification, a moment after the commit.
 */
export async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const until = Date.now() + 5_000;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > until) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
