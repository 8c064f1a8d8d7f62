/**
 * What staff are told by e-mail about their own account. Written whole when queued but for the link to choose
 * a new password, the one secret: the row holds RESET_LINK_PLACEHOLDER and the dispatcher puts a fresh link in
 * when it sends, so the database never holds a working link.
 */

export const STAFF_MESSAGE_KINDS = ['staff-locked', 'staff-reset'] as const;
export type StaffMessageKind = (typeof STAFF_MESSAGE_KINDS)[number];

export const isStaffMessageKind = (kind: string): kind is StaffMessageKind => (STAFF_MESSAGE_KINDS as readonly string[]).includes(kind);

export const RESET_LINK_PLACEHOLDER = '{{resetLink}}';

/** How long a link to choose a new password works once sent (OWASP: short-lived, single use). */
export const RESET_LINK_MINUTES = 15;

const resetParagraph = [
  `Per scegliere una nuova password apri questo collegamento entro ${RESET_LINK_MINUTES} minuti (vale una volta sola):`,
  RESET_LINK_PLACEHOLDER,
];

/** Five wrong passwords locked the account: perhaps its owner mistyped, perhaps someone is guessing. */
export function staffLockedMessage(input: { name: string; email: string; until: string }): { subject: string; text: string } {
  return {
    subject: 'Pratica Online: accesso bloccato per troppi tentativi',
    text: [
      `Gentile ${input.name},`,
      '',
      `dopo cinque password errate di seguito l'accesso al back office di Pratica Online con ${input.email} è bloccato fino alle ${input.until}.`,
      '',
      'Se i tentativi non sono stati tuoi, qualcuno sta provando a indovinare la password: avvisa un amministratore.',
      'Se non puoi attendere, una nuova password scelta con il collegamento qui sotto sblocca subito l\'account.',
      '',
      ...resetParagraph,
      '',
      'Il collegamento funziona solo da questo messaggio: se scade, chiedine un altro dalla pagina di accesso ("Password dimenticata?").',
      '',
    ].join('\n'),
  };
}

/** Someone asked, from the sign-in page or through an administrator, for a link to choose a new password. */
export function staffResetMessage(input: { name: string; email: string }): { subject: string; text: string } {
  return {
    subject: 'Pratica Online: scelta di una nuova password',
    text: [
      `Gentile ${input.name},`,
      '',
      `è stata chiesta una nuova password per l'accesso al back office di Pratica Online con ${input.email}.`,
      '',
      ...resetParagraph,
      '',
      'Se non l\'hai chiesta tu, ignora questo messaggio: la password attuale resta valida.',
      '',
    ].join('\n'),
  };
}
