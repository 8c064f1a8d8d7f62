import type { AddressInfo } from 'node:net';
import smpp from 'smpp';
import type { PDU, Server, Session } from 'smpp';

export interface ReceivedSms {
  /** as submitted: one per part */
  destination: string;
  source: string;
  dataCoding: number;
  text: string;
  /** concatenation header: [reference, total, part] */
  part: [number, number, number] | undefined;
  /** the reference's size in the header: 8 bits (IEI 0x00) or 16 (IEI 0x08) */
  referenceBits: 8 | 16 | undefined;
  messageId: string;
}

export interface TestSmppServer {
  port: number;
  url: string;
  parts: ReceivedSms[];
  binds: string[];
  /** answer submit_sm with this command_status (0x0b: invalid destination) */
  rejectWith: number | undefined;
  /** send a delivery receipt after each submit: DELIVRD, UNDELIV, or none */
  receipt: 'DELIVRD' | 'UNDELIV' | undefined;
  /** how long after the submit its receipt goes (5 ms unless set) */
  receiptDelayMs: number;
  /** what an SMSC restart does to its message ids: they start again from the first */
  restartIds(): void;
  /** whole messages, parts reassembled by their concatenation reference */
  messages(): { destination: string; text: string; parts: number; dataCoding: number; messageIds: string[] }[];
  stop(): Promise<void>;
  waitForParts(count: number, timeoutMs?: number): Promise<ReceivedSms[]>;
}

/** A real SMPP server (the smpp package's) on 127.0.0.1: binds, submit_sm, and deliver_sm receipts. */
export async function startSmppServer(options: { systemId?: string; password?: string } = {}): Promise<TestSmppServer> {
  const systemId = options.systemId ?? 'pratica';
  const password = options.password ?? 'smppsecret';
  let counter = 0;
  const state: TestSmppServer = {
    port: 0,
    url: '',
    parts: [],
    binds: [],
    rejectWith: undefined,
    receipt: 'DELIVRD',
    receiptDelayMs: 5,
    restartIds() {
      counter = 0;
    },
    messages() {
      const out: ReturnType<TestSmppServer['messages']> = [];
      const groups = new Map<string, ReceivedSms[]>();
      for (const p of state.parts) {
        if (!p.part) out.push({ destination: p.destination, text: p.text, parts: 1, dataCoding: p.dataCoding, messageIds: [p.messageId] });
        else {
          const key = `${p.destination}/${p.part[0]}`;
          groups.set(key, [...(groups.get(key) ?? []), p]);
        }
      }
      for (const group of groups.values()) {
        const sorted = group.sort((a, b) => a.part![2] - b.part![2]);
        out.push({ destination: sorted[0]!.destination, text: sorted.map((p) => p.text).join(''), parts: sorted.length, dataCoding: sorted[0]!.dataCoding, messageIds: sorted.map((p) => p.messageId) });
      }
      return out;
    },
    async stop() {
      for (const session of [...server.sessions]) session.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    async waitForParts(count, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (state.parts.length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} SMS parts, received ${state.parts.length}`);
        await new Promise((r) => setTimeout(r, 10));
      }
      return state.parts;
    },
  };
  const server: Server = smpp.createServer((session: Session) => {
    session.on('error', () => undefined);
    session.on('bind_transceiver', (pdu: PDU) => {
      const ok = pdu.system_id === systemId && pdu.password === password;
      state.binds.push(String(pdu.system_id));
      session.send(pdu.response({ command_status: ok ? 0 : 0x0e })); // ESME_RINVPASWD
      if (!ok) session.close();
    });
    session.on('enquire_link', (pdu: PDU) => session.send(pdu.response()));
    session.on('unbind', (pdu: PDU) => {
      session.send(pdu.response());
      session.close();
    });
    session.on('submit_sm', (pdu: PDU) => {
      if (state.rejectWith !== undefined) {
        session.send(pdu.response({ command_status: state.rejectWith }));
        return;
      }
      const messageId = `smsc-${++counter}`;
      const short = pdu.short_message as { message: string | Buffer; udh?: Buffer[] };
      // concatenation with an 8-bit reference (IEI 0x00) or a 16-bit one (IEI 0x08), as a phone reads either
      const concat8 = short.udh?.find((h) => h[0] === 0x00);
      const concat16 = short.udh?.find((h) => h[0] === 0x08);
      const concat = concat16 ? [concat16[2]! * 256 + concat16[3]!, concat16[4]!, concat16[5]!] : concat8 ? [concat8[2]!, concat8[3]!, concat8[4]!] : undefined;
      let text = typeof short.message === 'string' ? short.message : short.message.toString('latin1');
      // the package decodes UCS-2 itself; keep what it gives
      if (Buffer.isBuffer(short.message) && pdu.data_coding === 0x08) text = short.message.swap16().toString('utf16le');
      state.parts.push({
        destination: String(pdu.destination_addr),
        source: String(pdu.source_addr),
        dataCoding: Number(pdu.data_coding),
        text,
        part: concat as [number, number, number] | undefined,
        referenceBits: concat16 ? 16 : concat8 ? 8 : undefined,
        messageId,
      });
      session.send(pdu.response({ message_id: messageId }));
      const stat = state.receipt;
      if (stat) {
        setTimeout(() => {
          session.deliver_sm({
            source_addr: pdu.destination_addr,
            destination_addr: pdu.source_addr,
            esm_class: 0x04,
            short_message: `id:${messageId} sub:001 dlvrd:${stat === 'DELIVRD' ? '001' : '000'} submit date:2611261000 done date:2611261000 stat:${stat} err:000 text:`,
          });
        }, state.receiptDelayMs);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  state.port = (server.address() as AddressInfo).port;
  state.url = `smpp://${systemId}:${password}@127.0.0.1:${state.port}`;
  return state;
}
