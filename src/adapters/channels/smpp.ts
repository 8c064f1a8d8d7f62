import smpp from 'smpp';
import type { PDU, Session } from 'smpp';
import { analyseSms, encodeGsm7, encodeUcs2 } from '../../domain/notification/index.ts';
import type { Accepted, OutgoingSms, Receipt, SmsChannel } from './types.ts';
import { SendError } from './types.ts';

export interface SmppOptions {
  /** smpp://system_id:password@host:2775 (ssmpp:// for TLS) */
  url: string;
  /** alphanumeric sender id (at most 11 characters) or an international number */
  sender: string;
  submitTimeoutMs?: number;
  connectTimeoutMs?: number;
  enquireLinkMs?: number;
}

// SMPP 3.4 command_status values worth telling apart; anything unknown is retried (bounded).
const PERMANENT_STATUS: Readonly<Record<number, string>> = {
  0x01: 'lunghezza del messaggio non valida (ESME_RINVMSGLEN)',
  0x0a: 'mittente non valido (ESME_RINVSRCADR)',
  0x0b: 'numero di destinazione non valido (ESME_RINVDSTADR)',
  0x33: 'numero di destinazioni non valido (ESME_RINVNUMDESTS)',
  0x48: 'TON del mittente non valido (ESME_RINVSRCTON)',
  0x50: 'TON del destinatario non valido (ESME_RINVDSTTON)',
  0x66: 'messaggio rifiutato dal destinatario (ESME_RX_R_APPN)',
};

const RECEIPT_STATES: Readonly<Record<string, Receipt['status'] | undefined>> = {
  DELIVRD: 'delivered', UNDELIV: 'failed', REJECTD: 'failed', EXPIRED: 'failed', DELETED: 'failed',
};
// message_state TLV (SMPP 3.4 §5.3.2.35)
const MESSAGE_STATES: Readonly<Record<number, string>> = { 2: 'DELIVRD', 3: 'EXPIRED', 4: 'DELETED', 5: 'UNDELIV', 8: 'REJECTD' };

function address(value: string): { addr: string; ton: number; npi: number } {
  if (/^\+?\d{3,15}$/.test(value)) return { addr: value.replace(/^\+/, ''), ton: 1, npi: 1 }; // international, E.164
  return { addr: value, ton: 5, npi: 0 }; // alphanumeric sender id
}

/** A delivery receipt from a deliver_sm, or undefined when it is not one (a citizen's reply, say). */
export function parseReceipt(pdu: PDU, account: string): Receipt | undefined {
  const esmClass = Number(pdu.esm_class ?? 0);
  const short = pdu.short_message as { message?: unknown } | undefined;
  const text = typeof short?.message === 'string' ? short.message : Buffer.isBuffer(short?.message) ? short.message.toString('latin1') : '';
  const isReceipt = (esmClass & 0x3c) === 0x04 || /\bid:\S+.*\bstat:\w+/i.test(text);
  if (!isReceipt) return undefined;
  const providerId = typeof pdu.receipted_message_id === 'string' ? pdu.receipted_message_id : /\bid:(\S+)/i.exec(text)?.[1];
  const stat = typeof pdu.message_state === 'number' ? MESSAGE_STATES[pdu.message_state] : /\bstat:(\w+)/i.exec(text)?.[1]?.toUpperCase();
  const status = stat ? RECEIPT_STATES[stat] : undefined;
  if (!providerId || !status) return undefined;
  const err = /\berr:(\w+)/i.exec(text)?.[1];
  // a receipt goes from the handset back to us: its source is the message's destination
  const destination = typeof pdu.source_addr === 'string' && pdu.source_addr ? pdu.source_addr : undefined;
  return { provider: 'smpp', providerId, account, ...(destination ? { destination } : {}), status, detail: `${stat}${err && err !== '000' ? ` err:${err}` : ''}` };
}

/**
 * SMS over SMPP 3.4: one bound transceiver session, opened on first use and again after a drop; GSM-7 or
 * UCS-2 chosen by the text; a long text split into parts with a concatenation header (UDH, 16-bit
 * reference); delivery receipts requested and read from deliver_sm.
 */
export class SmppChannel implements SmsChannel {
  readonly provider = 'smpp';
  private session: Promise<Session> | undefined;
  private current: Session | undefined;
  private receiptHandler: ((receipt: Receipt) => void) | undefined;
  private reference = Math.floor(Math.random() * 65_536);
  private closed = false;

  /** the system id bound with: message ids are the SMSC's per account, so receipts are matched on it too */
  private readonly account: string;

  constructor(private readonly options: SmppOptions) {
    this.account = decodeURIComponent(new URL(options.url).username);
  }

  onReceipt(handler: (receipt: Receipt) => void): void {
    this.receiptHandler = handler;
  }

  private connect(): Promise<Session> {
    const url = new URL(this.options.url);
    return new Promise<Session>((resolve, reject) => {
      let settled = false;
      const fail = (error: SendError) => {
        if (settled) return;
        settled = true;
        session.destroy();
        reject(error);
      };
      const timer = setTimeout(() => fail(new SendError('il server SMPP non risponde', false)), this.options.connectTimeoutMs ?? 10_000);
      const session = smpp.connect({
        url: `${url.protocol}//${url.host}`,
        auto_enquire_link_period: this.options.enquireLinkMs ?? 30_000,
      });
      session.setMaxListeners(0); // one 'close' listener per SMS awaiting its answer
      session.on('error', (error: Error) => {
        clearTimeout(timer);
        fail(new SendError(`server SMPP non raggiungibile: ${error.message}`, false, { cause: error }));
      });
      session.on('close', () => {
        clearTimeout(timer);
        if (this.current === session) {
          this.current = undefined;
          this.session = undefined; // the next send connects again
        }
        fail(new SendError('connessione SMPP chiusa', false));
      });
      session.on('deliver_sm', (pdu: PDU) => {
        session.send(pdu.response());
        const receipt = parseReceipt(pdu, this.account);
        if (receipt) this.receiptHandler?.(receipt);
      });
      session.on('enquire_link', (pdu: PDU) => session.send(pdu.response()));
      session.on('unbind', (pdu: PDU) => {
        session.send(pdu.response());
        session.close();
      });
      session.on('connect', () => {
        session.bind_transceiver(
          { system_id: decodeURIComponent(url.username), password: decodeURIComponent(url.password), interface_version: 0x34 },
          (pdu: PDU) => {
            clearTimeout(timer);
            if (pdu.command_status !== 0) {
              fail(new SendError(`il server SMPP rifiuta il collegamento (bind_transceiver, stato 0x${pdu.command_status.toString(16)})`, false));
              return;
            }
            settled = true;
            this.current = session;
            resolve(session);
          },
        );
      });
    });
  }

  private async open(): Promise<Session> {
    if (this.closed) throw new SendError('canale SMPP chiuso', false);
    this.session ??= this.connect().catch((error: unknown) => {
      this.session = undefined;
      throw error;
    });
    return this.session;
  }

  private submit(session: Session, fields: Record<string, unknown>): Promise<string> {
    return new Promise<string>((resolve, reject) => {
      const onClose = () => {
        clearTimeout(timer);
        reject(new SendError('connessione SMPP chiusa prima della conferma', false));
      };
      const timer = setTimeout(() => {
        // no answer: the session is not trustworthy any more
        session.off('close', onClose);
        session.destroy();
        reject(new SendError('il server SMPP non ha confermato l\'invio in tempo', false));
      }, this.options.submitTimeoutMs ?? 10_000);
      session.once('close', onClose);
      const written = session.submit_sm(fields, (pdu: PDU) => {
        clearTimeout(timer);
        session.off('close', onClose);
        if (pdu.command_status === 0) return resolve(String(pdu.message_id));
        const permanent = PERMANENT_STATUS[pdu.command_status];
        reject(new SendError(permanent ?? `il server SMPP rifiuta l'SMS (stato 0x${pdu.command_status.toString(16)})`, Boolean(permanent)));
      });
      if (!written) {
        clearTimeout(timer);
        session.off('close', onClose);
        session.destroy();
        reject(new SendError('connessione SMPP non disponibile', false));
      }
    });
  }

  async send(message: OutgoingSms): Promise<Accepted> {
    const analysis = analyseSms(message.text);
    const session = await this.open();
    const source = address(this.options.sender);
    const destination = address(message.to);
    const dataCoding = analysis.encoding === 'GSM-7' ? 0x00 : 0x08;
    const encode = analysis.encoding === 'GSM-7' ? encodeGsm7 : encodeUcs2;
    // taken once per message: sends run concurrently on this session, and every part of one text carries the same reference
    const reference = (this.reference = (this.reference + 1) % 65_536);
    const ids: string[] = [];
    for (const [index, part] of analysis.parts.entries()) {
      const payload = Buffer.from(encode(part));
      const concatenated = analysis.parts.length > 1;
      // 3GPP TS 23.040 §9.2.3.24.8: IEI 0x08, length 4, a 16-bit reference, total parts, this part. With 8 bits, two
      // workers' long texts to one phone at the same moment shared a reference 1 time in 256 and were joined as one
      const udh = Buffer.from([0x06, 0x08, 0x04, reference >> 8, reference & 0xff, analysis.parts.length, index + 1]);
      ids.push(
        await this.submit(session, {
          source_addr: source.addr, source_addr_ton: source.ton, source_addr_npi: source.npi,
          destination_addr: destination.addr, dest_addr_ton: destination.ton, dest_addr_npi: destination.npi,
          registered_delivery: 0x01,
          data_coding: dataCoding,
          esm_class: concatenated ? 0x40 : 0x00,
          short_message: concatenated ? Buffer.concat([udh, payload]) : payload,
        }),
      );
    }
    return { provider: 'smpp', providerId: ids[0]!, providerIds: ids, account: this.account };
  }

  async close(): Promise<void> {
    this.closed = true;
    const pending = this.session;
    this.session = undefined;
    if (!pending) return;
    const session = await pending.catch(() => undefined);
    if (!session) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => session.destroy(() => resolve()), 1_000);
      session.unbind(() => {
        clearTimeout(timer);
        session.close(() => resolve());
      });
    });
  }
}
