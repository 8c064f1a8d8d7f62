/**
 * Every provider behind one interface per channel (the GOV.UK Notify `clients/email`, `clients/sms`):
 * the dispatcher neither knows nor cares which one is configured.
 */

export interface OutgoingEmail {
  /** the notification id: a stable message id, so a repeated attempt can be recognised downstream */
  id: string;
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface OutgoingSms {
  id: string;
  /** E.164, e.g. +393331234567 */
  to: string;
  text: string;
}

export interface OutgoingIo {
  id: string;
  /** the citizen's fiscal code: IO's address */
  fiscalCode: string;
  /** the case's office: its own IO service key, if it has one */
  office: string | null;
  subject: string;
  markdown: string;
  /** ISO timestamp: the legal deadline while the term runs */
  dueDate?: string | undefined;
}

/** What IO reports of a message it took. */
export interface IoMessageState {
  status: string | undefined;
  readStatus: string | undefined;
}

export interface Accepted {
  /** which provider took it: 'smtp', 'smpp', 'http', 'outbox' */
  provider: string;
  /** the provider's id for the message (the first part, for a concatenated SMS) */
  providerId: string;
  /** every id the provider gave (one per SMS part) */
  providerIds?: string[];
  /** the account it went through (the SMPP system id): its receipts name it */
  account?: string;
  /** true when accepting is delivering (the outbox) */
  delivered?: boolean;
}

/** A failure the dispatcher can act on: permanent ones are not retried. */
export class SendError extends Error {
  /** how long the provider asked us to wait before trying again (a 429's Retry-After), when it said */
  readonly retryAfterMs: number | undefined;

  constructor(
    message: string,
    readonly permanent: boolean,
    options?: { cause?: unknown; retryAfterMs?: number | undefined },
  ) {
    super(message, options);
    this.name = 'SendError';
    this.retryAfterMs = options?.retryAfterMs;
  }
}

/**
 * The citizen cannot be reached on this channel at all (not on App IO, or they blocked the service):
 * the message goes on their other channels instead, with this reason.
 */
export class NotReachableError extends SendError {
  constructor(message: string) {
    super(message, true);
    this.name = 'NotReachableError';
  }
}

/** A delivery receipt, as the provider reported it. */
export interface Receipt {
  provider: string;
  providerId: string;
  /** the SMPP system id of the connection it came on */
  account?: string;
  /** the number the message went to, as the receipt gives it (SMPP: its source address) */
  destination?: string;
  status: 'delivered' | 'failed';
  detail: string;
}

export interface EmailChannel {
  readonly provider: string;
  send(message: OutgoingEmail): Promise<Accepted>;
  close(): Promise<void>;
}

export interface SmsChannel {
  readonly provider: string;
  send(message: OutgoingSms): Promise<Accepted>;
  /** receipts arriving on the provider connection (SMPP deliver_sm) */
  onReceipt?(handler: (receipt: Receipt) => void): void;
  close(): Promise<void>;
}

export interface IoChannel {
  readonly provider: string;
  send(message: OutgoingIo): Promise<Accepted>;
  /** IO's status of a message sent: processed, read; undefined when it cannot say */
  status(query: { fiscalCode: string; providerId: string; office: string | null }): Promise<IoMessageState | undefined>;
  close(): Promise<void>;
}

export interface Channels {
  email: EmailChannel;
  sms: SmsChannel;
  /** unset when App IO is not configured (IO_API_KEY, IO_API_KEYS): its messages go on the other channels */
  io?: IoChannel | undefined;
}
