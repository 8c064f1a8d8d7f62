import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CHANNELS, DEFAULT_TEMPLATES, DEFAULT_RETRY_POLICY, MESSAGE_KINDS, TemplateError, afterCrash, afterFailure, analyseSms, checkTemplate,
  decodeGsm7, deliveryFailedContext, deliveryFailedNoticeFor, encodeGsm7, parseTemplate, renderEmail, renderSms, renderTemplate, requiredVariables, retryDelayMs, sampleContext,
  templateVariables,
} from '../../src/domain/notification/index.ts';
import type { MessageKind, NotificationStatus, Recipients } from '../../src/domain/notification/index.ts';
import type { Channel } from '../../src/domain/case/contacts.ts';

describe('SMS encoding: GSM-7 or UCS-2, and how many SMS a text costs', () => {
  const cases: [string, string, 'GSM-7' | 'UCS-2', number, number][] = [
    ['plain text', 'Pratica avviata', 'GSM-7', 15, 1],
    ['Italian accents are GSM-7', 'è é à ì ò ù', 'GSM-7', 11, 1],
    ['the euro sign costs two septets', 'Diritti: 16 €', 'GSM-7', 14, 1],
    ['160 GSM characters are one SMS', 'a'.repeat(160), 'GSM-7', 160, 1],
    ['161 are two (153 + 8)', 'a'.repeat(161), 'GSM-7', 161, 2],
    ['80 euro signs are 160 septets: one SMS', '€'.repeat(80), 'GSM-7', 160, 1],
    ['a Cyrillic letter forces UCS-2', 'Привет', 'UCS-2', 6, 1],
    ['71 UCS-2 characters are two SMS (67 + 4)', 'ж'.repeat(71), 'UCS-2', 71, 2],
    ['an emoji is two UTF-16 units', '👍', 'UCS-2', 2, 1],
  ];
  for (const [name, text, encoding, units, segments] of cases) {
    it(name, () => {
      const analysis = analyseSms(text);
      assert.equal(analysis.encoding, encoding);
      assert.equal(analysis.units, units);
      assert.equal(analysis.segments, segments);
      assert.equal(analysis.parts.join(''), text);
    });
  }

  it('never splits an escape pair between two parts', () => {
    const text = `${'a'.repeat(152)}€${'b'.repeat(10)}`;
    const { parts } = analyseSms(text);
    assert.equal(parts[0], 'a'.repeat(152));
    assert.ok(parts[1]!.startsWith('€'));
  });

  it('never splits an emoji between two parts', () => {
    const text = `${'ж'.repeat(66)}👍${'ж'.repeat(10)}`;
    const { parts } = analyseSms(text);
    assert.equal(parts[0], 'ж'.repeat(66));
    assert.ok(parts[1]!.startsWith('👍'));
  });

  it('encodes and decodes GSM-7 septets, euro sign included', () => {
    const text = 'Costo 16 € - città, perché già';
    assert.equal(decodeGsm7(encodeGsm7(text)), text);
    assert.deepEqual([...encodeGsm7('€')], [0x1b, 0x65]);
  });

  it('rewrites word-processor punctuation so a pasted text stays GSM-7', () => {
    const sms = renderSms({ subject: '', body: '{{caseCode}} l’ufficio “chiude” – È tutto' }, sampleContext());
    assert.equal(sms.text, `FC-7KM3-9QX2 l'ufficio "chiude" - E' tutto`);
    assert.equal(sms.analysis.encoding, 'GSM-7');
  });
});

describe('templates', () => {
  it('renders variables and blocks', () => {
    const t = parseTemplate('A {{x}}{{#y}} con {{y}}{{/y}}{{^y}} senza{{/y}}.');
    assert.equal(renderTemplate(t, { x: '1', y: 'due' }), 'A 1 con due.');
    assert.equal(renderTemplate(t, { x: '1', y: '' }), 'A 1 senza.');
  });

  const broken: [string, RegExp][] = [
    ['Ciao {{nome', /senza "\}\}"/],
    ['{{#a}} aperto', /non è chiuso/],
    ['{{#a}}x{{/b}}', /chiude il blocco/],
    ['{{/a}}', /mai aperto/],
    ['{{ 1x }}', /Segnaposto non valido/],
  ];
  for (const [source, message] of broken) {
    it(`refuses ${JSON.stringify(source)} with a message saying where`, () => {
      assert.throws(() => parseTemplate(source), (e: unknown) => e instanceof TemplateError && message.test(e.message) && /riga 1/.test(e.message));
    });
  }

  it('every default template passes its own checks', () => {
    for (const kind of MESSAGE_KINDS) {
      for (const channel of CHANNELS) {
        const check = checkTemplate(kind, channel, DEFAULT_TEMPLATES[kind][channel], { caseLink: 'https://pratica.provincia.fc.it/pratica' });
        assert.deepEqual(check.problems, [], `${kind}/${channel}`);
      }
    }
  });

  it('the default SMS fit in one SMS of 160 GSM-7 characters with typical values; the suspension\'s reason adds one at most', () => {
    for (const kind of MESSAGE_KINDS) {
      const sms = renderSms(DEFAULT_TEMPLATES[kind].sms, sampleContext({ caseLink: 'https://pratica.provincia.fc.it/pratica' }, 'sms'));
      assert.equal(sms.analysis.encoding, 'GSM-7', kind);
      assert.equal(sms.analysis.segments, kind === 'suspend' ? 2 : 1, `${kind}: ${sms.analysis.units} characters: ${sms.text}`);
    }
  });

  it('every default template of every event and channel carries the placeholders it must (the only language of the messages is Italian)', () => {
    for (const kind of MESSAGE_KINDS) {
      for (const channel of CHANNELS) {
        const { subject, body } = DEFAULT_TEMPLATES[kind][channel];
        const used = new Set([...templateVariables(parseTemplate(subject)).keys(), ...templateVariables(parseTemplate(body)).keys()]);
        for (const name of requiredVariables(kind, channel)) assert.ok(used.has(name), `${kind}/${channel} lacks {{${name}}}`);
      }
    }
    assert.ok(requiredVariables('suspend', 'sms').includes('shortReason'), 'a suspension SMS must say why');
    for (const kind of ['suspend', 'resume', 'close'] as const) assert.ok(requiredVariables(kind, 'email').includes('reason'), kind);
  });

  it('the suspension SMS tells the reason: whole when it fits, else cut at a word before the link to the rest', () => {
    const link = 'https://pratica.provincia.fc.it/pratica';
    const typical = renderSms(DEFAULT_TEMPLATES.suspend.sms, sampleContext({ caseLink: link }, 'sms'));
    assert.match(typical.text, /Motivo: Manca la planimetria della rete di raccolta delle acque, firmata da tecnico abilitato Dettagli: https:/);

    const long = `Manca la relazione tecnica asseverata ${'con gli allegati previsti dal regolamento '.repeat(12)}fine`;
    const cut = renderSms(DEFAULT_TEMPLATES.suspend.sms, sampleContext({ caseLink: link, reason: long }, 'sms'));
    assert.equal(cut.analysis.segments, 2, cut.text);
    assert.match(cut.text, /Motivo: Manca la relazione tecnica asseverata con .*[a-z]\.\.\. Dettagli: https:\/\/pratica\.provincia\.fc\.it\/pratica password /);
    assert.ok(!cut.text.includes('fine'));

    // a character outside the GSM alphabet would make the whole SMS UCS-2: the reason stops before it
    const cyrillic = renderSms(DEFAULT_TEMPLATES.suspend.sms, sampleContext({ caseLink: link, reason: `Manca la firma del legale rappresentante ${'ж'.repeat(30)}` }, 'sms'));
    assert.ok(cyrillic.analysis.segments <= 2, cyrillic.text);
    assert.match(cyrillic.text, /Motivo: Manca la firma/);
  });

  it('refuses a start e-mail that leaves out elements of art. 8 c.2 L. 241/1990', () => {
    const template = { ...DEFAULT_TEMPLATES.start.email, body: DEFAULT_TEMPLATES.start.email.body.replaceAll('{{substituteName}}', 'il segretario') };
    const check = checkTemplate('start', 'email', template);
    assert.match(check.problems.map((p) => p.text).join(' '), /art\. 8 c\.2.*\{\{substituteName\}\}/);
  });

  it('refuses a message that does not say how to stop, or has no login', () => {
    const check = checkTemplate('suspend', 'sms', { subject: '', body: 'Pratica {{caseCode}} sospesa il {{eventDate}} {{caseLink}}' });
    assert.match(check.problems.map((p) => p.text).join(' '), /\{\{password\}\}/);
    assert.match(check.problems.map((p) => p.text).join(' '), /\{\{stop\}\}/);
  });

  it('refuses sensitive content and unknown variables in an SMS', () => {
    const base = DEFAULT_TEMPLATES.suspend.sms.body;
    assert.match(checkTemplate('suspend', 'sms', { subject: '', body: `${base} {{reason}}` }).problems.map((p) => p.text).join(' '), /\{\{reason\}\} non può stare in un SMS/);
    assert.match(checkTemplate('suspend', 'sms', { subject: '', body: `${base} {{motivo}}` }).problems.map((p) => p.text).join(' '), /Variabile sconosciuta \{\{motivo\}\}/);
  });

  it('refuses an SMS longer than three parts', () => {
    const check = checkTemplate('close', 'sms', { subject: '', body: `${DEFAULT_TEMPLATES.close.sms.body} ${'x'.repeat(400)}` });
    assert.match(check.problems.map((p) => p.text).join(' '), /SMS di 4 parti/);
  });

  it('derives the HTML from the text, escaping whatever the variables hold', () => {
    const email = renderEmail(DEFAULT_TEMPLATES.suspend.email, sampleContext({ reason: '<script>alert(1)</script> & "virgolette"' }));
    assert.ok(!email.html.includes('<script>'));
    assert.ok(email.html.includes('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;virgolette&quot;'));
    assert.match(email.html, /<a href="https:\/\/pratica\.provincia\.fc\.it\/pratica">/);
    assert.match(email.text, /Motivo: <script>/); // the text part is text
  });
});

describe('delivery policy', () => {
  it('backs off exponentially, with jitter, up to a cap', () => {
    const policy = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 1000, maxDelayMs: 10_000 };
    assert.equal(retryDelayMs(policy, 1, 0.5), 1000);
    assert.equal(retryDelayMs(policy, 2, 0.5), 2000);
    assert.equal(retryDelayMs(policy, 3, 0.5), 4000);
    assert.equal(retryDelayMs(policy, 9, 0.5), 10_000);
    assert.equal(retryDelayMs(policy, 1, 0), 800);
    assert.equal(retryDelayMs(policy, 1, 0.999), 1200);
    assert.equal(retryDelayMs(policy, 5000, 0.5), 10_000, 'a message retried for days still waits the cap');
  });

  const minute = 60_000;
  const hour = 60 * minute;
  // the defaults: 5 s doubling to 30 minutes, for 72 hours from the message's creation
  const decisions: [string, { attempts: number; ageMs: number; permanent: boolean; notBeforeMs?: number }, string][] = [
    ['the first failure is retried after 5 s', { attempts: 1, ageMs: 0, permanent: false }, 'temporary-failure in 5000 ms'],
    ['the second after 10 s', { attempts: 2, ageMs: 5_000, permanent: false }, 'temporary-failure in 10000 ms'],
    ['from the 11th the wait is the 30-minute cap', { attempts: 11, ageMs: 90 * minute, permanent: false }, 'temporary-failure in 1800000 ms'],
    ['the 10th failure, 43 minutes in, is no longer the last', { attempts: 10, ageMs: 43 * minute, permanent: false }, 'temporary-failure in 1800000 ms'],
    ['an hour of outage is survived', { attempts: 12, ageMs: hour, permanent: false }, 'temporary-failure in 1800000 ms'],
    ['a day of outage is survived', { attempts: 57, ageMs: 24 * hour, permanent: false }, 'temporary-failure in 1800000 ms'],
    ['the last retry falls on the maximum age', { attempts: 150, ageMs: 72 * hour - 10 * minute, permanent: false }, 'temporary-failure in 600000 ms'],
    ['a failure at the maximum age is a technical failure', { attempts: 151, ageMs: 72 * hour, permanent: false }, 'technical-failure'],
    ['and past it', { attempts: 151, ageMs: 80 * hour, permanent: false }, 'technical-failure'],
    ['a refusal is permanent at once', { attempts: 1, ageMs: 0, permanent: true }, 'permanent-failure'],
    ['a provider that throttles is asked again no sooner than it said (Retry-After)', { attempts: 1, ageMs: 0, permanent: false, notBeforeMs: 60_000 }, 'temporary-failure in 60000 ms'],
    ['a shorter Retry-After than the backoff leaves the backoff', { attempts: 2, ageMs: 5_000, permanent: false, notBeforeMs: 1_000 }, 'temporary-failure in 10000 ms'],
    ['nor does it push the last retry past the maximum age', { attempts: 150, ageMs: 72 * hour - 10 * minute, permanent: false, notBeforeMs: hour }, 'temporary-failure in 600000 ms'],
  ];
  for (const [name, attempt, expected] of decisions) {
    it(`after a failed attempt: ${name}`, () => {
      const outcome = afterFailure(DEFAULT_RETRY_POLICY, { ...attempt, random: 0.5 });
      assert.equal(outcome.status === 'temporary-failure' ? `${outcome.status} in ${outcome.delayMs} ms` : outcome.status, expected);
    });
  }

  it('with NOTIFY_MAX_ATTEMPTS set, the attempt that reaches it is the last, even before the maximum age', () => {
    const capped = { ...DEFAULT_RETRY_POLICY, maxAttempts: 4 };
    const statuses = [3, 4, 5].map((attempts) => afterFailure(capped, { attempts, ageMs: 60_000, permanent: false, random: 0.5 }).status);
    assert.deepEqual(statuses, ['temporary-failure', 'technical-failure', 'technical-failure']);
  });

  it('a message that crashed its process is retried, until the third time', () => {
    assert.deepEqual([1, 2, 3, 4].map((crashes) => afterCrash(DEFAULT_RETRY_POLICY, crashes)), ['temporary-failure', 'temporary-failure', 'technical-failure', 'technical-failure']);
  });

  const contacts: Recipients = { mobile: '+393331234567', email: 'a@b.it', notifySms: true, notifyEmail: false, optedOut: false };
  type Sibling = { channel: Channel; status: NotificationStatus };
  // [what, failed message, the citizen's contacts, the other messages of the same event, where the notice goes]
  const notices: [string, { channel: Channel; kind: MessageKind }, Recipients, Sibling[], string | undefined][] = [
    ['a failed SMS, no e-mail of the event: notice by e-mail', { channel: 'sms', kind: 'suspend' }, contacts, [], 'email a@b.it'],
    ['a failed e-mail, no SMS of the event: notice by SMS', { channel: 'email', kind: 'close' }, contacts, [], 'sms +393331234567'],
    ['a failed SMS whose e-mail went: the e-mail said it all', { channel: 'sms', kind: 'suspend' }, contacts, [{ channel: 'email', status: 'sent' }], undefined],
    ['a failed start SMS whose e-mail was delivered: nothing lost', { channel: 'sms', kind: 'start' }, contacts, [{ channel: 'email', status: 'delivered' }], undefined],
    ['a failed e-mail whose SMS is still queued: the SMS carries the same', { channel: 'email', kind: 'resume' }, contacts, [{ channel: 'sms', status: 'created' }], undefined],
    ['a failed credentials e-mail whose SMS went: the SMS carries the login', { channel: 'email', kind: 'credentials' }, contacts, [{ channel: 'sms', status: 'delivered' }], undefined],
    ['a failed start e-mail whose SMS went: the SMS lacks the art. 8 elements, notice by SMS', { channel: 'email', kind: 'start' }, contacts, [{ channel: 'sms', status: 'delivered' }], 'sms +393331234567'],
    ['a failed start e-mail whose SMS is on its way: notice by SMS too', { channel: 'email', kind: 'start' }, contacts, [{ channel: 'sms', status: 'sending' }], 'sms +393331234567'],
    ['the other channel failed too (permanent)', { channel: 'sms', kind: 'close' }, contacts, [{ channel: 'email', status: 'permanent-failure' }], 'email a@b.it'],
    ['the other channel failed too (technical)', { channel: 'sms', kind: 'close' }, contacts, [{ channel: 'email', status: 'technical-failure' }], 'email a@b.it'],
    ['no address on the other channel', { channel: 'sms', kind: 'suspend' }, { ...contacts, email: null }, [], undefined],
    ['no mobile for a failed start e-mail', { channel: 'email', kind: 'start' }, { ...contacts, mobile: null }, [], undefined],
    ['the citizen left the service', { channel: 'email', kind: 'start' }, { ...contacts, optedOut: true }, [], undefined],
    ['a notice that fails is not announced in turn', { channel: 'sms', kind: 'delivery-failed' }, contacts, [], undefined],
  ];
  for (const [name, failed, who, siblings, expected] of notices) {
    it(`notice of a failed message: ${name}`, () => {
      const notice = deliveryFailedNoticeFor(failed, who, siblings);
      assert.equal(notice ? `${notice.channel} ${notice.recipient}` : undefined, expected);
    });
  }

  it('the notice names the failed message and says how to stop on its own channel', () => {
    const context = deliveryFailedContext({ context: sampleContext({}, 'email'), kind: 'start' }, 'sms');
    assert.equal(context.failedMessage, 'la comunicazione di avvio del procedimento');
    assert.match(String(context.stop), /^Stop SMS/);
  });
});

describe('the start e-mail promises only what the service does', () => {
  it('documents and memorie go to the office\'s PEC or the office: the case page only shows the case', () => {
    const text = renderEmail(DEFAULT_TEMPLATES.start.email, sampleContext()).text;
    const participation = text.slice(text.indexOf('Atti e diritti di partecipazione'));
    assert.ok(participation.length > 1);
    assert.match(participation, /presentare memorie e documenti \(artt\. 9 e 10 L\. 241\/1990\) scriva alla PEC dell'ufficio, viabilita@cert\.provincia\.fc\.it/);
    assert.doesNotMatch(participation, /memorie e documenti[^.]*(online|dalla pagina della pratica)/);
  });
});
