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
    subject: 'Daily digest: {open} open tickets',
    text: 'Open tickets: {open}\nOpened in the last day: {opened}\nResolved in the last day: {resolved}\n\n{list}',
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
    subject: 'خلاصه روزانه: {open} تیکت باز',
    text: 'تیکت‌های باز: {open}\nباز شده در روز گذشته: {opened}\nحل شده در روز گذشته: {resolved}\n\n{list}',
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
    subject: 'Résumé quotidien : {open} tickets ouverts',
    text: 'Tickets ouverts : {open}\nOuverts depuis hier : {opened}\nRésolus depuis hier : {resolved}\n\n{list}',
  },
};

/** Words inside values (the branch clause of "opened"). */
const fragments: Record<Language, { branchPart: string }> = {
  en: { branchPart: ' at branch {branch}' },
  fa: { branchPart: ' در شعبه {branch}' },
  fr: { branchPart: " à l'agence {branch}" },
};

const strings: Record<Language, Strings> = { en, fa, fr };

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
