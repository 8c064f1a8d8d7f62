import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import type { ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  from: string;
  to: string[];
  parsed: ParsedMail;
  /** the raw Message-ID header, e.g. <uuid@domain> */
  messageId: string;
  secure: boolean;
  user: string | undefined;
}

export interface TestSmtpServer {
  port: number;
  url: string;
  received: ReceivedMail[];
  /** recipients matching are refused with 550 (permanent) */
  rejectRecipients: RegExp | undefined;
  /** every message is answered 451 (try later) */
  temporaryFailure: boolean;
  start(): Promise<void>;
  stop(): Promise<void>;
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedMail[]>;
}

/**
 * A real SMTP server on 127.0.0.1 (smtp-server + mailparser): STARTTLS with its built-in self-signed
 * certificate, AUTH PLAIN/LOGIN required. `stop()` then `start()` reopens it on the same port, so tests
 * can take the server down and bring it back.
 */
export async function startSmtpServer(options: { user?: string; pass?: string; port?: number; parse?: boolean } = {}): Promise<TestSmtpServer> {
  const user = options.user ?? 'pratica';
  const pass = options.pass ?? 'segreta';
  let server: SMTPServer | undefined;
  const state: TestSmtpServer = {
    port: options.port ?? 0,
    url: '',
    received: [],
    rejectRecipients: undefined,
    temporaryFailure: false,
    async start() {
      server = new SMTPServer({
        authOptional: false,
        authMethods: ['PLAIN', 'LOGIN'],
        closeTimeout: 50,
        size: 10 * 1024 * 1024,
        logger: false,
        onAuth(auth, _session, callback) {
          if (auth.username === user && auth.password === pass) return callback(null, { user: auth.username });
          return callback(new Error('Invalid username or password'));
        },
        onRcptTo(address, _session, callback) {
          if (state.rejectRecipients?.test(address.address)) {
            return callback(Object.assign(new Error('5.1.1 Mailbox unavailable'), { responseCode: 550 }));
          }
          return callback();
        },
        onData(stream, session, callback) {
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('end', () => {
            if (state.temporaryFailure) return callback(Object.assign(new Error('4.3.0 Try again later'), { responseCode: 451 }));
            const raw = Buffer.concat(chunks);
            if (options.parse === false) {
              // high-volume tests only need the envelope and the Message-ID
              const messageId = /^Message-ID:\s*(<[^>]+>)/im.exec(raw.subarray(0, 4096).toString('latin1'))?.[1] ?? '';
              state.received.push({ from: '', to: session.envelope.rcptTo.map((r) => r.address), parsed: {} as ParsedMail, messageId, secure: session.secure, user: undefined });
              return callback();
            }
            simpleParser(raw)
              .then((parsed) => {
                state.received.push({
                  from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
                  to: session.envelope.rcptTo.map((r) => r.address),
                  parsed,
                  messageId: String(parsed.headers.get('message-id') ?? ''),
                  secure: session.secure,
                  user: typeof session.user === 'string' ? session.user : undefined,
                });
                callback();
              })
              .catch(callback);
          });
        },
      });
      // a client that goes away mid-session (a killed worker) is not the test's failure
      server.on('error', () => undefined);
      await new Promise<void>((resolve, reject) => {
        server!.once('error', reject);
        server!.listen(state.port, '127.0.0.1', () => resolve());
      });
      state.port = (server.server.address() as AddressInfo).port;
      state.url = `smtp://${user}:${pass}@127.0.0.1:${state.port}?reject_unauthorized=false&require_tls=true`;
    },
    async stop() {
      const current = server;
      server = undefined;
      if (current) await new Promise<void>((resolve) => current.close(() => resolve()));
    },
    async waitFor(count, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (state.received.length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} e-mails, received ${state.received.length}`);
        await new Promise((r) => setTimeout(r, 10));
      }
      return state.received;
    },
  };
  await state.start();
  return state;
}
