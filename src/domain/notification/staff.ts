/**
 * What staff are told by e-mail about their own account. Written whole when queued: it names no secret,
 * so the row holds the message as sent.
 */

/** Five wrong passwords locked the account: perhaps its owner mistyped, perhaps someone is guessing. */
export function staffLockedMessage(input: { name: string; email: string; until: string }): { subject: string; text: string } {
  return {
    subject: 'Pratica Online: accesso bloccato per troppi tentativi',
    text: [
      `Gentile ${input.name},`,
      '',
      `dopo cinque password errate di seguito l'accesso al back office di Pratica Online con ${input.email} è bloccato fino alle ${input.until}.`,
      '',
      'Se i tentativi non sono stati tuoi, qualcuno sta provando a indovinare la password: avvisa un amministratore e, una volta entrato, cambiala.',
      'Se non puoi attendere, un amministratore può sbloccare l\'account dalla tua scheda nel catalogo del personale.',
      '',
    ].join('\n'),
  };
}
