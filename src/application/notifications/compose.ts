import type { Channel } from '../../domain/case/contacts.ts';
import { PASSWORD_SYMBOLS, formatPassword } from '../../domain/case/codes.ts';
import { renderEmail, renderIo, renderSms } from '../../domain/notification/index.ts';
import type { IoContent, MessageContext, RenderedEmail, StoredContext, TemplateText } from '../../domain/notification/index.ts';
import { SIGN_IN_LINK_PATH } from '../portal/sign-in-link.ts';
import { caseLink } from './secrets.ts';

const REDACTED_PASSWORD = '••••-••••-••••-••••';
export const REDACTED_LINK = '[link di accesso personale]';

export interface MessageSecrets {
  password: string;
  /** e-mail only: '' for an SMS */
  signInLink: string;
}

export interface ComposedMessage {
  /** what goes to the provider */
  email?: RenderedEmail;
  sms?: { text: string };
  io?: IoContent;
  /** what the office sees, kept and previewed: the same text with the secrets masked */
  shown: { subject: string | null; body: string };
}

/**
 * The one rendering of a citizen's message, from the context stored with the notification: the dispatcher
 * sends it, and the back office's preview shows its masked copy, so that the preview is what is sent.
 */
export function composeMessage(template: TemplateText, channel: Channel, stored: StoredContext, publicBaseUrl: string, secrets: MessageSecrets): ComposedMessage {
  const context: MessageContext = { ...stored, password: secrets.password, caseLink: caseLink(publicBaseUrl), signInLink: secrets.signInLink };
  const mask = (text: string) => text.replaceAll(secrets.password, REDACTED_PASSWORD).replaceAll(secrets.signInLink || '\u0000', REDACTED_LINK);
  if (channel === 'email') {
    const email = renderEmail(template, context);
    return { email, shown: { subject: email.subject, body: mask(email.text) } };
  }
  if (channel === 'io') {
    // no secret to mask: IO's templates cannot hold the password or the personal link
    const io = renderIo(template, { ...context, password: '', signInLink: '' });
    return { io, shown: { subject: io.subject, body: io.markdown } };
  }
  const sms = renderSms(template, context);
  return { sms: { text: sms.text }, shown: { subject: null, body: mask(sms.text) } };
}

/**
 * Stand-ins for a preview, shaped as the real ones (a password as long, a link on the same path), so that an
 * SMS is shortened as it will be; both are masked in what is shown.
 */
export function previewSecrets(publicBaseUrl: string, channel: Channel): MessageSecrets {
  if (channel === 'io') return { password: '', signInLink: '' };
  return {
    password: formatPassword(new Uint8Array(PASSWORD_SYMBOLS)),
    signInLink: channel === 'email' ? `${publicBaseUrl.replace(/\/+$/, '')}${SIGN_IN_LINK_PATH}preview` : '',
  };
}
