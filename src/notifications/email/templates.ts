import type { Language } from '../../db/schema.js';

// The words of an e-mail, per language. English is written out; French and Spanish are filled in
// where they are known, and anything missing falls back to English, so a new language is a table.

export interface MailNotification {
  title: string;
  /** The workflow event behind it (SUBMIT, OPEN_VOTE…), when there is one. */
  event?: string | undefined;
  guidelineTitle?: string | undefined;
  createdAt: Date;
  /** The guideline's page, when PUBLIC_URL is set. */
  link?: string | undefined;
}

interface Words {
  greeting: (name: string) => string;
  open: string;
  digestSubject: (count: number) => string;
  digestIntro: (count: number) => string;
  footer: string;
  /** What happened, per workflow event, about the guideline named. */
  events: Partial<Record<string, (guideline: string) => string>>;
}

const english: Words = {
  greeting: (name) => `Dear ${name},`,
  open: 'Open the guideline',
  digestSubject: (n) => `Your daily digest: ${n} notification${n === 1 ? '' : 's'}`,
  digestIntro: (n) =>
    `Here ${n === 1 ? 'is what' : `are the ${n} things that`} happened since your last digest:`,
  footer:
    'You receive this message from the Guideline Review Engine. Choose immediate, daily or no e-mail in your preferences.',
  events: {},
};

const french: Partial<Words> = {
  greeting: (name) => `Madame, Monsieur ${name},`,
  open: 'Ouvrir la ligne directrice',
  digestSubject: (n) => `Votre résumé quotidien : ${n} notification${n === 1 ? '' : 's'}`,
  digestIntro: () => 'Voici ce qui s’est passé depuis votre dernier résumé :',
  footer:
    'Ce message vous est envoyé par le système d’examen des lignes directrices. Vos préférences règlent la fréquence des messages.',
  events: {
    SUBMIT: (g) => `${g} : soumise pour vérification par le secrétariat`,
    ACCEPT_FOR_REVIEW: (g) => `${g} : ouverte à la consultation`,
    OPEN_VOTE: (g) => `${g} : vote ouvert`,
    CLOSE_VOTE: (g) => `${g} : vote clos`,
    WITHDRAW: (g) => `${g} : retirée`,
  },
};

const spanish: Partial<Words> = {
  greeting: (name) => `Estimado/a ${name}:`,
  open: 'Abrir la directriz',
  digestSubject: (n) => `Su resumen diario: ${n} notificación${n === 1 ? '' : 'es'}`,
  digestIntro: () => 'Esto es lo que ha ocurrido desde su último resumen:',
  footer:
    'Este mensaje le llega del sistema de examen de directrices. Sus preferencias fijan la frecuencia de los mensajes.',
  events: {
    SUBMIT: (g) => `${g}: presentada para la verificación de la secretaría`,
    ACCEPT_FOR_REVIEW: (g) => `${g}: abierta a consulta`,
    OPEN_VOTE: (g) => `${g}: votación abierta`,
    CLOSE_VOTE: (g) => `${g}: votación cerrada`,
    WITHDRAW: (g) => `${g}: retirada`,
  },
};

const languages: Record<Language, Partial<Words>> = { en: english, fr: french, es: spanish };

function wordsFor(language: Language): Words {
  const chosen = languages[language] ?? {};
  return { ...english, ...chosen, events: { ...english.events, ...chosen.events } };
}

/** A notification's line in the recipient's language; its English title when none is written. */
function line(words: Words, n: MailNotification): string {
  const phrase = n.event && n.guidelineTitle ? words.events[n.event] : undefined;
  return phrase ? phrase(n.guidelineTitle!) : n.title;
}

export interface MailContent {
  subject: string;
  text: string;
  html: string;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function render(words: Words, name: string, intro: string | null, items: MailNotification[]) {
  const textItems = items.map((n) => {
    const link = n.link ? `\n  ${n.link}` : '';
    return `${items.length > 1 ? '- ' : ''}${line(words, n)}${link}`;
  });
  const text = [
    words.greeting(name),
    '',
    ...(intro ? [intro, ''] : []),
    ...textItems,
    '',
    '--',
    words.footer,
  ].join('\n');
  const htmlItems = items.map((n) => {
    const link = n.link ? ` <a href="${escapeHtml(n.link)}">${escapeHtml(words.open)}</a>` : '';
    return `<li>${escapeHtml(line(words, n))}${link}</li>`;
  });
  const html = [
    '<!doctype html><html><body style="font-family: sans-serif">',
    `<p>${escapeHtml(words.greeting(name))}</p>`,
    intro ? `<p>${escapeHtml(intro)}</p>` : '',
    `<ul>${htmlItems.join('')}</ul>`,
    `<p style="color: #555; font-size: small">${escapeHtml(words.footer)}</p>`,
    '</body></html>',
  ].join('');
  return { text, html };
}

/** One notification, sent as it happens. */
export function notificationMail(
  language: Language,
  recipientName: string,
  notification: MailNotification,
): MailContent {
  const words = wordsFor(language);
  return {
    subject: line(words, notification),
    ...render(words, recipientName, null, [notification]),
  };
}

/** Everything since the last digest, in one message. */
export function digestMail(
  language: Language,
  recipientName: string,
  notifications: MailNotification[],
): MailContent {
  const words = wordsFor(language);
  const n = notifications.length;
  return {
    subject: words.digestSubject(n),
    ...render(words, recipientName, words.digestIntro(n), notifications),
  };
}
