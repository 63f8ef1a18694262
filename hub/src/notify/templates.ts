import type { Language, NotifyEvent } from './channel.js';

/**
 * Every notification text in every language, in one file so that translators see them side by
 * side. `{name}` is replaced by the event's value; a missing value renders as an empty string.
 */
type Strings = Record<NotifyEvent, { subject: string; text: string }>;

const en: Strings = {
  'ticket.opened': {
    subject: '[#{number}] New ticket: {subject}',
    text: 'Ticket #{number} "{subject}" was opened{branchPart}.\nPriority: {priority}\n\n{body}',
  },
  'ticket.assigned': {
    subject: '[#{number}] Assigned to {assignee}: {subject}',
    text: 'Ticket #{number} "{subject}" is now assigned to {assignee}.',
  },
  'ticket.replied': {
    subject: '[#{number}] New reply: {subject}',
    text: '{author} replied on ticket #{number} "{subject}":\n\n{body}',
  },
  'ticket.resolved': {
    subject: '[#{number}] Resolved: {subject}',
    text: 'Ticket #{number} "{subject}" was resolved.',
  },
  'sla.warning': {
    subject: '[#{number}] SLA warning: {subject}',
    text: 'Ticket #{number} "{subject}" will breach its {clock} target soon ({level}).',
  },
  'sla.breach': {
    subject: '[#{number}] SLA breached: {subject}',
    text: 'Ticket #{number} "{subject}" breached its {clock} target ({level}).',
  },
  'agent.offline': {
    subject: 'Agent offline: {agent}',
    text: 'Agent {agent} of branch {branch} went offline at {at}.',
  },
  'check.failing': {
    subject: 'Check failing: {check} at {branch}',
    text: 'Check {check} at branch {branch} is failing since {at}: {reason}',
  },
  'check.recovered': {
    subject: 'Check recovered: {check} at {branch}',
    text: 'Check {check} at branch {branch} recovered at {at}.',
  },
  'digest.daily': {
    subject: 'Daily digest {date}: {open} open tickets',
    text: 'Open tickets: {open}\n{list}\n\nLast day: {opened} opened, {resolved} resolved.',
  },
};

const fa: Strings = {
  'ticket.opened': {
    subject: '[#{number}] تیکت جدید: {subject}',
    text: 'تیکت #{number} «{subject}» باز شد{branchPart}.\nاولویت: {priority}\n\n{body}',
  },
  'ticket.assigned': {
    subject: '[#{number}] واگذار شده به {assignee}: {subject}',
    text: 'تیکت #{number} «{subject}» اکنون به {assignee} واگذار شده است.',
  },
  'ticket.replied': {
    subject: '[#{number}] پاسخ جدید: {subject}',
    text: '{author} به تیکت #{number} «{subject}» پاسخ داد:\n\n{body}',
  },
  'ticket.resolved': {
    subject: '[#{number}] حل شد: {subject}',
    text: 'تیکت #{number} «{subject}» حل شد.',
  },
  'sla.warning': {
    subject: '[#{number}] هشدار SLA: {subject}',
    text: 'تیکت #{number} «{subject}» به‌زودی از هدف {clock} خود عبور می‌کند ({level}).',
  },
  'sla.breach': {
    subject: '[#{number}] نقض SLA: {subject}',
    text: 'تیکت #{number} «{subject}» از هدف {clock} خود عبور کرد ({level}).',
  },
  'agent.offline': {
    subject: 'عامل آفلاین: {agent}',
    text: 'عامل {agent} در شعبه {branch} در {at} آفلاین شد.',
  },
  'check.failing': {
    subject: 'بررسی ناموفق: {check} در {branch}',
    text: 'بررسی {check} در شعبه {branch} از {at} ناموفق است: {reason}',
  },
  'check.recovered': {
    subject: 'بررسی بازیابی شد: {check} در {branch}',
    text: 'بررسی {check} در شعبه {branch} در {at} بازیابی شد.',
  },
  'digest.daily': {
    subject: 'خلاصه روزانه {date}: {open} تیکت باز',
    text: 'تیکت‌های باز: {open}\n{list}\n\nروز گذشته: {opened} باز شد، {resolved} حل شد.',
  },
};

const fr: Strings = {
  'ticket.opened': {
    subject: '[#{number}] Nouveau ticket : {subject}',
    text: 'Le ticket #{number} « {subject} » a été ouvert{branchPart}.\nPriorité : {priority}\n\n{body}',
  },
  'ticket.assigned': {
    subject: '[#{number}] Attribué à {assignee} : {subject}',
    text: 'Le ticket #{number} « {subject} » est maintenant attribué à {assignee}.',
  },
  'ticket.replied': {
    subject: '[#{number}] Nouvelle réponse : {subject}',
    text: '{author} a répondu au ticket #{number} « {subject} » :\n\n{body}',
  },
  'ticket.resolved': {
    subject: '[#{number}] Résolu : {subject}',
    text: 'Le ticket #{number} « {subject} » a été résolu.',
  },
  'sla.warning': {
    subject: '[#{number}] Alerte SLA : {subject}',
    text: 'Le ticket #{number} « {subject} » dépassera bientôt son objectif {clock} ({level}).',
  },
  'sla.breach': {
    subject: '[#{number}] SLA dépassé : {subject}',
    text: 'Le ticket #{number} « {subject} » a dépassé son objectif {clock} ({level}).',
  },
  'agent.offline': {
    subject: 'Agent hors ligne : {agent}',
    text: "L'agent {agent} de l'agence {branch} est hors ligne depuis {at}.",
  },
  'check.failing': {
    subject: 'Contrôle en échec : {check} à {branch}',
    text: "Le contrôle {check} de l'agence {branch} échoue depuis {at} : {reason}",
  },
  'check.recovered': {
    subject: 'Contrôle rétabli : {check} à {branch}',
    text: "Le contrôle {check} de l'agence {branch} est rétabli depuis {at}.",
  },
  'digest.daily': {
    subject: 'Résumé quotidien du {date} : {open} tickets ouverts',
    text: 'Tickets ouverts : {open}\n{list}\n\nDernières 24 h : {opened} ouverts, {resolved} résolus.',
  },
};

/** Words inside values (the branch clause of "opened"). */
const fragments: Record<Language, { branchPart: string }> = {
  en: { branchPart: ' at branch {branch}' },
  fa: { branchPart: ' در شعبه {branch}' },
  fr: { branchPart: " à l'agence {branch}" },
};

const strings: Record<Language, Strings> = { en, fa, fr };

/** The daily digest's ticket lines: one per open ticket with its SLA state (digest-sla.ts). */
interface DigestWords {
  line: string;
  none: string;
  sla: Record<'breached' | 'warning' | 'running' | 'paused', string>;
  clocks: Record<'firstResponse' | 'resolution', string>;
}

const digestWords: Record<Language, DigestWords> = {
  en: {
    line: '#{number} [{priority}] {subject} — {sla}',
    none: 'no SLA',
    sla: {
      breached: 'SLA breached ({clock})',
      warning: 'SLA warning ({clock}), due {due}',
      running: 'SLA due {due} ({clock})',
      paused: 'SLA paused ({clock})',
    },
    clocks: { firstResponse: 'first response', resolution: 'resolution' },
  },
  fa: {
    line: '#{number} [{priority}] {subject} — {sla}',
    none: 'بدون SLA',
    sla: {
      breached: 'SLA نقض شده ({clock})',
      warning: 'هشدار SLA ({clock})، مهلت {due}',
      running: 'مهلت SLA {due} ({clock})',
      paused: 'SLA متوقف ({clock})',
    },
    clocks: { firstResponse: 'اولین پاسخ', resolution: 'حل' },
  },
  fr: {
    line: '#{number} [{priority}] {subject} — {sla}',
    none: 'sans SLA',
    sla: {
      breached: 'SLA dépassé ({clock})',
      warning: 'alerte SLA ({clock}), échéance {due}',
      running: 'échéance SLA {due} ({clock})',
      paused: 'SLA en pause ({clock})',
    },
    clocks: { firstResponse: 'première réponse', resolution: 'résolution' },
  },
};

/** One digest line; `due` is the deadline already written in the reader's time zone. */
export function digestLine(
  language: Language,
  ticket: { number: number; priority: string; subject: string },
  sla: { state: 'none' } | { state: keyof DigestWords['sla']; clock: keyof DigestWords['clocks'] },
  due: string,
): string {
  const w = digestWords[language];
  const state =
    sla.state === 'none' ? w.none : fill(w.sla[sla.state], { clock: w.clocks[sla.clock], due });
  return fill(w.line, { ...ticket, sla: state });
}

export type TemplateValues = Record<string, string | number | null | undefined>;

export function render(
  event: NotifyEvent,
  language: Language,
  values: TemplateValues,
): { subject: string; text: string } {
  const template = strings[language][event];
  const all: TemplateValues = {
    ...values,
    branchPart: values.branch ? fill(fragments[language].branchPart, values) : '',
  };
  return { subject: fill(template.subject, all), text: fill(template.text, all) };
}

function fill(template: string, values: TemplateValues): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? ''));
}
