import { TICKET_WORDS, type TicketState } from '@branchwatch/api';
import type { Language } from '../channel.js';
import type { UsageOf } from './bot-commands.js';

/**
 * Everything the Telegram bot says, in each language of the product, side by side for
 * translators (docs/notifications.md "Telegram"). A linked person is answered in their
 * notification language; a sender not linked yet in the language their Telegram reports.
 *
 * Ticket numbers are written as the web UI writes them (web/src/format/numbers.ts
 * `formatTicketNumber`, web/src/i18n): "#42"; in Persian with Persian digits, "#۴۲"; in French
 * "n° 42". Persian lines begin with Persian words, and a command inside them is preceded by a
 * left-to-right mark, so that "/ack" reads as typed and not as "ack/" in a right-to-left line.
 * French puts a no-break space before ":" and inside « », a narrow one before ";", "?" and "!".
 */
interface Words {
  help: string;
  notLinked: string;
  usage: Record<UsageOf, string>;
  taken: (ticket: string, state: string) => string;
  resolved: (ticket: string) => string;
  commented: (ticket: string) => string;
  kbUnavailable: string;
  kbNone: (words: string) => string;
  kbFound: (words: string) => string;
  linkInGroup: string;
  linkTooMany: string;
  linkBadCode: string;
  linked: (username: string) => string;
  noTicket: (ticket: string) => string;
  needs: (permission: string) => string;
  disabled: string;
  transition: (ticket: string, from: string, to: string) => string;
  stillFailing: (ticket: string) => string;
  changed: (ticket: string) => string;
  /** A refusal without words of its own here: its stable code (docs/api.md). */
  refused: (code: string) => string;
  failed: string;
}

// French spaces: no-break before ":" and inside guillemets, narrow no-break before ";".
const NBSP = '\u00a0';
const NNBSP = '\u202f';
// Left-to-right mark: a command inside a Persian line keeps its slash in front.
const LRM = '\u200e';

const en: Words = {
  help: [
    'Commands:',
    '/ack N — take ticket N: it is assigned to you and set in progress',
    '/comment N text — add an internal note to ticket N',
    '/resolve N — resolve ticket N',
    '/kb words — search the knowledge base',
    'To link your Telegram account, send /link CODE with the code from My settings in Branchwatch.',
  ].join('\n'),
  notLinked:
    'This Telegram account is not linked to a Branchwatch user. ' +
    'Get a code under My settings in Branchwatch and send /link CODE here.',
  usage: {
    ack: 'Usage: /ack N — N is the ticket number; the ticket is assigned to you and set in progress.',
    resolve: 'Usage: /resolve N — N is the ticket number.',
    comment: 'Usage: /comment N text — N is the ticket number; the text becomes an internal note.',
    link: 'Usage: /link CODE — the code from My settings → Telegram in Branchwatch.',
    kb: 'Usage: /kb words — searches the knowledge base for them.',
  },
  taken: (t, state) => `Ticket ${t} is yours (${state}).`,
  resolved: (t) => `Ticket ${t} resolved.`,
  commented: (t) => `Comment added to ticket ${t}.`,
  kbUnavailable: 'The knowledge base is not available here.',
  kbNone: (w) => `No article found for “${w}”.`,
  kbFound: (w) => `Articles for “${w}”:`,
  linkInGroup: 'Send /link CODE in a private chat with this bot, not in a group.',
  linkTooMany: 'Too many wrong codes; wait a few minutes and try again.',
  linkBadCode:
    'That code is unknown, used or expired. Get a new one under My settings in Branchwatch.',
  linked: (u) => `This Telegram account is now linked to the Branchwatch user ${u}.`,
  noTicket: (t) => `Ticket ${t} does not exist.`,
  needs: (p) => `This needs the ${p} permission.`,
  disabled: 'This Branchwatch account is disabled.',
  transition: (t, from, to) => `Ticket ${t} cannot go from ${from} to ${to}.`,
  stillFailing: (t) =>
    `The alert of ticket ${t} is still failing. To resolve it anyway, say why in Branchwatch.`,
  changed: (t) => `Ticket ${t} changed meanwhile; send the command again.`,
  refused: (code) => `Branchwatch refused this (${code}).`,
  failed: 'Something went wrong.',
};

const fa: Words = {
  help: [
    'فرمان‌ها:',
    `برداشتن تیکت (به شما سپرده می‌شود و در جریان قرار می‌گیرد): ${LRM}/ack شماره`,
    `افزودن یادداشت داخلی به تیکت: ${LRM}/comment شماره متن`,
    `حل کردن تیکت: ${LRM}/resolve شماره`,
    `جستجو در پایگاه دانش: ${LRM}/kb واژه‌ها`,
    `برای اتصال حساب تلگرام، کد را از «تنظیمات من» در Branchwatch بگیرید و اینجا ${LRM}/link کد را بفرستید.`,
  ].join('\n'),
  notLinked:
    'این حساب تلگرام به هیچ کاربری در Branchwatch متصل نیست. ' +
    `از «تنظیمات من» در Branchwatch کدی بگیرید و اینجا ${LRM}/link کد را بفرستید.`,
  usage: {
    ack: `روش استفاده: ${LRM}/ack شماره — شمارهٔ تیکت را بنویسید تا به شما سپرده شود و در جریان قرار گیرد.`,
    resolve: `روش استفاده: ${LRM}/resolve شماره — شمارهٔ تیکتی را که حل شده بنویسید.`,
    comment: `روش استفاده: ${LRM}/comment شماره متن — شمارهٔ تیکت و سپس متن یادداشت داخلی را بنویسید.`,
    link: `روش استفاده: ${LRM}/link کد — کد را از «تنظیمات من» ← تلگرام در Branchwatch بگیرید.`,
    kb: `روش استفاده: ${LRM}/kb واژه‌ها — این واژه‌ها در پایگاه دانش جستجو می‌شوند.`,
  },
  taken: (t, state) => `تیکت ${t} به شما سپرده شد (${state}).`,
  resolved: (t) => `تیکت ${t} حل شد.`,
  commented: (t) => `یادداشت شما روی تیکت ${t} ثبت شد.`,
  kbUnavailable: 'پایگاه دانش اینجا در دسترس نیست.',
  kbNone: (w) => `مقاله‌ای برای «${w}» پیدا نشد.`,
  kbFound: (w) => `مقاله‌ها برای «${w}»:`,
  linkInGroup: `فرمان ${LRM}/link را در گفتگوی خصوصی با این ربات بفرستید، نه در گروه.`,
  linkTooMany: 'کدهای نادرست زیادی فرستاده شد؛ چند دقیقه صبر کنید و دوباره امتحان کنید.',
  linkBadCode:
    'این کد ناشناخته است، پیش‌تر به کار رفته یا منقضی شده است. ' +
    'کد تازه‌ای از «تنظیمات من» در Branchwatch بگیرید.',
  linked: (u) => `این حساب تلگرام اکنون به کاربر ${u} در Branchwatch متصل است.`,
  noTicket: (t) => `تیکت ${t} وجود ندارد.`,
  needs: (p) => `این کار به دسترسی ${p} نیاز دارد.`,
  disabled: 'این حساب Branchwatch غیرفعال است.',
  transition: (t, from, to) => `تیکت ${t} نمی‌تواند از «${from}» به «${to}» برود.`,
  stillFailing: (t) =>
    `هشدار تیکت ${t} هنوز برطرف نشده است. اگر با این حال می‌خواهید حلش کنید، در Branchwatch بنویسید چرا.`,
  changed: (t) => `تیکت ${t} در این میان تغییر کرد؛ فرمان را دوباره بفرستید.`,
  // Begins with Persian words, so that Telegram lays the line out right-to-left.
  refused: (code) => `این درخواست را Branchwatch نپذیرفت (${code}).`,
  failed: 'مشکلی پیش آمد.',
};

const fr: Words = {
  help: [
    `Commandes${NBSP}:`,
    `/ack N — prendre le ticket n°${NBSP}N${NBSP}: il vous est attribué et passe en cours`,
    `/comment N texte — ajouter une note interne au ticket n°${NBSP}N`,
    `/resolve N — résoudre le ticket n°${NBSP}N`,
    '/kb mots — chercher dans la base de connaissances',
    'Pour lier votre compte Telegram, envoyez /link CODE avec le code de Mes réglages dans Branchwatch.',
  ].join('\n'),
  notLinked:
    'Ce compte Telegram n’est lié à aucun utilisateur de Branchwatch. ' +
    'Obtenez un code dans Mes réglages de Branchwatch et envoyez ici /link CODE.',
  usage: {
    ack: `Utilisation${NBSP}: /ack N — N est le numéro du ticket, qui vous est alors attribué et passe en cours.`,
    resolve: `Utilisation${NBSP}: /resolve N — N est le numéro du ticket à résoudre.`,
    comment: `Utilisation${NBSP}: /comment N texte — N est le numéro du ticket${NNBSP}; le texte devient une note interne.`,
    link: `Utilisation${NBSP}: /link CODE — le code se trouve dans Mes réglages → Telegram de Branchwatch.`,
    kb: `Utilisation${NBSP}: /kb mots — cherche ces mots dans la base de connaissances.`,
  },
  taken: (t, state) => `Le ticket ${t} vous est attribué (${state}).`,
  resolved: (t) => `Le ticket ${t} est résolu.`,
  commented: (t) => `Note ajoutée au ticket ${t}.`,
  kbUnavailable: 'La base de connaissances n’est pas disponible ici.',
  kbNone: (w) => `Aucun article trouvé pour «${NBSP}${w}${NBSP}».`,
  kbFound: (w) => `Articles pour «${NBSP}${w}${NBSP}»${NBSP}:`,
  linkInGroup: 'Envoyez /link CODE dans une discussion privée avec ce bot, pas dans un groupe.',
  linkTooMany: `Trop de codes erronés${NNBSP}; patientez quelques minutes avant de réessayer.`,
  linkBadCode:
    'Ce code est inconnu, déjà utilisé ou expiré. Obtenez-en un nouveau dans Mes réglages de Branchwatch.',
  linked: (u) => `Ce compte Telegram est maintenant lié à l’utilisateur ${u} de Branchwatch.`,
  noTicket: (t) => `Le ticket ${t} n’existe pas.`,
  needs: (p) => `Il faut pour cela la permission ${p}.`,
  disabled: 'Ce compte Branchwatch est désactivé.',
  transition: (t, from, to) =>
    `Le ticket ${t} ne peut pas passer de l’état «${NBSP}${from}${NBSP}» à «${NBSP}${to}${NBSP}».`,
  stillFailing: (t) =>
    `L’alerte du ticket ${t} est toujours en échec. Pour le résoudre malgré tout, dites pourquoi dans Branchwatch.`,
  changed: (t) => `Le ticket ${t} a changé entre-temps${NNBSP}; renvoyez la commande.`,
  refused: (code) => `Branchwatch a refusé cette action (${code}).`,
  failed: 'Une erreur s’est produite.',
};

const WORDS: Record<Language, Words> = { en, fa, fr };

/** The bot's words in `language`, with its ticket numbers written as the web UI writes them. */
export function botWords(language: Language) {
  const digits = new Intl.NumberFormat(language, { useGrouping: false });
  const ticket = (n: number) =>
    language === 'fr' ? `n°${NBSP}${digits.format(n)}` : `#${digits.format(n)}`;
  return {
    ...WORDS[language],
    ticket,
    /** A list's position ("1.", Persian "۱."). */
    position: (n: number) => `${digits.format(n)}.`,
    state: (state: TicketState) => TICKET_WORDS[language].state[state],
  };
}

export type BotWords = ReturnType<typeof botWords>;

/** The language a Telegram client reports (`from.language_code`, an IETF tag) if we speak it. */
export function languageOfTelegram(code: string | undefined): Language {
  const primary = code?.toLowerCase().split(/[-_]/)[0];
  return primary === 'fa' || primary === 'fr' ? primary : 'en';
}

/**
 * A refusal of the work a command asked for, in the person's words. The hub's own English
 * message stays for an English reader when no sentence here says it better.
 */
export function refusalOf(
  words: BotWords,
  language: Language,
  err: { code?: string; message: string; details?: unknown },
  ticketNumber: number | undefined,
): string {
  const ticket = ticketNumber === undefined ? undefined : words.ticket(ticketNumber);
  const details = (err.details ?? {}) as { from?: TicketState; to?: TicketState };
  const permission = /^this needs the (\S+) permission$/.exec(err.message)?.[1];
  if (err.code === 'BW_ERR_FORBIDDEN' && permission) return words.needs(permission);
  if (err.code === 'BW_ERR_UNAUTHENTICATED') return words.disabled;
  if (ticket && err.code === 'BW_ERR_TICKET_NOT_FOUND') return words.noTicket(ticket);
  if (ticket && err.code === 'BW_ERR_TICKET_TRANSITION' && details.from && details.to)
    return words.transition(ticket, words.state(details.from), words.state(details.to));
  if (ticket && err.code === 'BW_ERR_ALERT_STILL_FAILING') return words.stillFailing(ticket);
  if (ticket && err.code === 'BW_ERR_TICKET_CHANGED') return words.changed(ticket);
  if (language === 'en') return err.message.charAt(0).toUpperCase() + err.message.slice(1) + '.';
  return words.refused(err.code ?? 'BW_ERR_INTERNAL');
}
