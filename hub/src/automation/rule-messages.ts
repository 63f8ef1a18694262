import type { Language } from '../notify/channel.js';

/** What a rule's notify or webhook action says about: a ticket, or a link below its share. */
export type RuleSubject =
  | { kind: 'ticket'; number: number; subject: string; branch: string | null; state: string }
  | { kind: 'link'; check: string; branch: string; percent: number; below: number; period: string };

const words = {
  en: {
    ticket: (s: Extract<RuleSubject, { kind: 'ticket' }>) =>
      `Ticket #${s.number} "${s.subject}"${s.branch ? ` at ${s.branch}` : ''}`,
    link: (s: Extract<RuleSubject, { kind: 'link' }>, p: string, b: string) =>
      `${s.check} at ${s.branch} was up ${p} % this ${s.period === 'week' ? 'week' : 'month'} so far, below ${b} %`,
    rule: 'Rule',
  },
  fa: {
    ticket: (s: Extract<RuleSubject, { kind: 'ticket' }>) =>
      `تیکت #${s.number} «${s.subject}»${s.branch ? ` در ${s.branch}` : ''}`,
    link: (s: Extract<RuleSubject, { kind: 'link' }>, p: string, b: string) =>
      `${s.check} در ${s.branch} در ${s.period === 'week' ? 'این هفته' : 'این ماه'} تاکنون ${p}٪ در دسترس بوده، کمتر از ${b}٪`,
    rule: 'قاعده',
  },
  fr: {
    ticket: (s: Extract<RuleSubject, { kind: 'ticket' }>) =>
      `Ticket n° ${s.number} « ${s.subject} »${s.branch ? ` à ${s.branch}` : ''}`,
    link: (s: Extract<RuleSubject, { kind: 'link' }>, p: string, b: string) =>
      `${s.check} à ${s.branch} a été disponible ${p} % ${s.period === 'week' ? 'cette semaine' : 'ce mois-ci'} jusqu'ici, sous ${b} %`,
    rule: 'Règle',
  },
} as const;

/**
 * A rule's message in the reader's language: the subject names the rule and what it is about,
 * the text starts with the admin's own words (as written) and then the facts.
 */
export function ruleMessage(
  language: Language,
  rule: string,
  message: string,
  about: RuleSubject,
): { subject: string; text: string } {
  const w = words[language];
  const n = (x: number) => new Intl.NumberFormat(language, { maximumFractionDigits: 3 }).format(x);
  const fact =
    about.kind === 'ticket' ? w.ticket(about) : w.link(about, n(about.percent), n(about.below));
  const subject = `${rule}: ${about.kind === 'ticket' ? `#${about.number} ${about.subject}` : `${about.check} ${n(about.percent)} %`}`;
  const text = [message, fact, `${w.rule}: ${rule}`].filter(Boolean).join('\n\n');
  return { subject, text };
}
