import type { Language } from './notify.js';
import type { TicketCategory, TicketPriority, TicketState } from './tickets.js';

/** The words of a ticket's state, priority and category in one language. */
export interface TicketWords {
  state: Record<TicketState, string>;
  priority: Record<TicketPriority, string>;
  category: Record<TicketCategory, string>;
}

/**
 * The one source of these words: the web's dictionaries (web/src/i18n), the hub's ticket text
 * (ticket-text/) and its exported reports (hub/src/reports/report-text.ts) all read them here,
 * so a state reads the same on the page, in a note and in a PDF. A new state, priority or
 * category fails the type check until every language has its word.
 */
export const TICKET_WORDS: Readonly<Record<Language, TicketWords>> = {
  en: {
    state: {
      open: 'open',
      in_progress: 'in progress',
      answered: 'answered',
      waiting: 'waiting',
      on_hold: 'on hold',
      resolved: 'resolved',
      closed: 'closed',
    },
    priority: { low: 'low', normal: 'normal', high: 'high', urgent: 'urgent' },
    category: {
      network: 'Network',
      telephony: 'Telephony',
      hardware: 'Hardware',
      software: 'Software',
      access: 'Access and accounts',
      other: 'Other',
    },
  },
  fa: {
    state: {
      open: 'باز',
      in_progress: 'در جریان',
      answered: 'پاسخ داده شده',
      waiting: 'در انتظار',
      on_hold: 'معلق',
      resolved: 'حل شده',
      closed: 'بسته',
    },
    priority: { low: 'کم', normal: 'عادی', high: 'زیاد', urgent: 'فوری' },
    category: {
      network: 'شبکه',
      telephony: 'تلفن',
      hardware: 'سخت‌افزار',
      software: 'نرم‌افزار',
      access: 'دسترسی و حساب‌ها',
      other: 'دیگر',
    },
  },
  fr: {
    state: {
      open: 'ouvert',
      in_progress: 'en cours',
      answered: 'répondu',
      waiting: 'en attente',
      on_hold: 'suspendu',
      resolved: 'résolu',
      closed: 'fermé',
    },
    priority: { low: 'basse', normal: 'normale', high: 'haute', urgent: 'urgente' },
    category: {
      network: 'Réseau',
      telephony: 'Téléphonie',
      hardware: 'Matériel',
      software: 'Logiciel',
      access: 'Accès et comptes',
      other: 'Autre',
    },
  },
};

type Keyed<P extends string, V extends string> = { [K in V as `${P}.${K}`]: string };

/** The words as dictionary entries: `ticketState.open`, `priority.low`, `category.network`. */
export type TicketWordEntries = Keyed<'ticketState', TicketState> &
  Keyed<'priority', TicketPriority> &
  Keyed<'category', TicketCategory>;

export function ticketWordEntries(language: Language): TicketWordEntries {
  const words = TICKET_WORDS[language];
  const entries = (prefix: string, values: Record<string, string>) =>
    Object.fromEntries(Object.entries(values).map(([k, v]) => [`${prefix}.${k}`, v]));
  return {
    ...entries('ticketState', words.state),
    ...entries('priority', words.priority),
    ...entries('category', words.category),
  } as TicketWordEntries;
}
