import type { Config } from '../../config.ts';
import type { Db } from '../db/database.ts';
import { HttpSmsChannel } from './http-sms.ts';
import { AppIoChannel } from './app-io.ts';
import { outboxEmailChannel, outboxSmsChannel } from './outbox.ts';
import { SmppChannel } from './smpp.ts';
import { smtpChannel } from './smtp.ts';
import type { Channels } from './types.ts';

export type { Accepted, Channels, EmailChannel, IoChannel, OutgoingEmail, OutgoingIo, OutgoingSms, Receipt, SmsChannel } from './types.ts';
export { NotReachableError, SendError } from './types.ts';

/** The channels chosen by EMAIL_TRANSPORT and SMS_TRANSPORT (validated by loadConfig). */
export function createChannels(config: Config, db: Db): Channels {
  const email = config.emailTransport === 'smtp' ? smtpChannel({ url: config.smtpUrl!, from: config.emailFrom! }) : outboxEmailChannel(db);
  let sms;
  if (config.smsTransport === 'smpp') sms = new SmppChannel({ url: config.smppUrl!, sender: config.smsSender! });
  else if (config.smsTransport === 'http') {
    const http = config.notifications.smsHttp!;
    sms = new HttpSmsChannel({
      url: http.url, authHeader: http.authHeader, bodyTemplate: http.bodyTemplate, contentType: http.contentType,
      messageIdPath: http.messageIdPath, sender: config.smsSender!,
    });
  } else sms = outboxSmsChannel(db);
  const io = config.notifications.io ? new AppIoChannel(config.notifications.io) : undefined;
  return { email, sms, io };
}

export async function closeChannels(channels: Channels): Promise<void> {
  await Promise.allSettled([channels.email.close(), channels.sms.close(), channels.io?.close()]);
}
