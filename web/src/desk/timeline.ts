import { TICKET_CATEGORIES, ticketTextOf, type TicketText } from '@branchwatch/api';
import type { DeskEvent } from '../api/types';
import type { MessageKey } from '../i18n';
import { eventsInOrder } from '../tickets/ticketEvents';
import { formatTicketNumber } from '../format/numbers';

// A ticket's history read top to bottom, as in Zammad or Freshdesk: its opening, replies and
// notes as messages, everything else (changes, SLA warnings, mentions, attachments) as one
// line each in between, in the order it happened. Pure, so it is tested without a browser.

/** A message: the opening, a reply, a note, or text the hub wrote (an alert, a recovery). */
export interface MessageEntry {
  type: 'message';
  event: DeskEvent;
  role: 'opened' | 'reply' | 'note' | 'hub';
  /** What the hub wrote, as facts the page renders in the reader's language; else `body`. */
  text: TicketText | null;
}

/**
 * A line: `key` is a sentence with placeholders, `vars` their values (names, labels, numbers)
 * which the page keeps apart from the sentence (bidi isolation); `note` is what was said
 * along (a reason), shown under it.
 */
export interface LineEntry {
  type: 'line';
  event: DeskEvent;
  key: MessageKey;
  vars: Record<string, string>;
  note: string | null;
  /** What the hub wrote with its own change (a reopening, a new priority), under the line. */
  text: TicketText | null;
}

export type TimelineEntry = MessageEntry | LineEntry;

export interface TimelineWords {
  t: (key: MessageKey, vars?: Record<string, string>) => string;
  /** Names of people and groups the page knows, for ids the hub did not name. */
  names: ReadonlyMap<string, string>;
  /** For Intl: ticket numbers in the reader's digits. */
  locale?: string;
}

const isMessage = (e: DeskEvent) =>
  (e.kind === 'opened' || e.kind === 'reply' || e.kind === 'note') && e.body !== null && !e.field;

export function timelineEntries(events: DeskEvent[], words: TimelineWords): TimelineEntry[] {
  return eventsInOrder(events).map((event): TimelineEntry => {
    const text = ticketTextOf(event.data);
    // What the hub wrote (no author): an alert's opening, a recovery, a note on flapping.
    const byHub = text !== null || (event.author === null && event.body !== null);
    if (byHub && !isLine(event)) return { type: 'message', event, role: 'hub', text };
    if (isMessage(event)) {
      const role = event.kind === 'opened' ? 'opened' : event.kind === 'reply' ? 'reply' : 'note';
      return { type: 'message', event, role, text: null };
    }
    return lineOf(event, words);
  });
}

/** Events that are a line even when the hub wrote them with a body (its own changes). */
const isLine = (e: DeskEvent) =>
  Boolean(e.field) ||
  e.kind === 'change' ||
  e.kind === 'state' ||
  e.kind === 'sla_warning' ||
  e.kind === 'sla_escalation' ||
  e.kind === 'mention' ||
  e.kind === 'attachment';

/** Who wrote an event: its author, the automation rule that made it, or the hub. */
export function authorOf(event: DeskEvent, t: TimelineWords['t']): string {
  if (event.author) return event.author;
  const rule = (event.data as { automation?: { ruleName?: unknown } } | undefined)?.automation;
  if (typeof rule?.ruleName === 'string') return t('auto.ruleActed', { name: rule.ruleName });
  return t('desk.ticket.system');
}

function lineOf(event: DeskEvent, words: TimelineWords): LineEntry {
  const { t } = words;
  const who = authorOf(event, t);
  const data = (event.data ?? {}) as Record<string, unknown>;
  const line = (
    key: MessageKey,
    vars: Record<string, string> = {},
    note: string | null = null,
  ): LineEntry => ({
    type: 'line',
    event,
    key,
    vars: { who, ...vars },
    note,
    text: ticketTextOf(event.data),
  });
  const value = (
    field: string | null | undefined,
    raw: string | null | undefined,
    label?: string | null,
  ) => valueOf(field ?? '', raw ?? null, label ?? null, words);

  switch (event.kind) {
    case 'sla_warning':
      return line('desk.timeline.slaWarning', { clock: clockName(data.clock, t) });
    case 'sla_escalation':
      return line('desk.timeline.slaEscalation', {
        level: String(data.level ?? ''),
        clock: clockName(data.clock, t),
      });
    case 'mention':
      return line('desk.timeline.mentioned', { new: event.new ?? '' });
    case 'attachment':
      return line('desk.timeline.attached', { new: event.new ?? '' });
    case 'state':
      return line('desk.timeline.state', {
        old: value('state', event.old),
        new: value('state', event.new),
      });
    default:
      break;
  }
  const field = event.field ?? '';
  const old = value(field, event.old, event.oldLabel);
  const next = value(field, event.new, event.newLabel);
  // An SLA escalation that acted says so in place of a person; a reason given for ending an
  // alert ticket that still fails is shown under the line.
  const escalation = typeof data.escalation === 'string' ? data.escalation : null;
  const actor: Record<string, string> =
    escalation === null ? {} : { who: `${t('desk.timeline.escalation')} ${escalation}` };
  const note = data.stillFailing ? event.body : null;
  return line(changeKey(field, event), { old, new: next, field, ...actor }, note);
}

function changeKey(field: string, event: DeskEvent): MessageKey {
  const added = event.old === null;
  const removed = event.new === null;
  switch (field) {
    case 'state':
      return 'desk.timeline.state';
    case 'priority':
      return 'desk.timeline.priority';
    case 'category':
      return 'desk.timeline.category';
    case 'subject':
      return 'desk.timeline.subject';
    case 'requester':
      return 'desk.timeline.requester';
    case 'requester_contact':
      return 'desk.timeline.requesterContact';
    case 'assignee':
      return removed
        ? 'desk.timeline.unassigned'
        : added
          ? 'desk.timeline.assigned'
          : 'desk.timeline.reassigned';
    case 'group':
      return removed
        ? 'desk.timeline.ungrouped'
        : added
          ? 'desk.timeline.grouped'
          : 'desk.timeline.regrouped';
    case 'sla_policy':
      return removed ? 'desk.timeline.slaUnpinned' : 'desk.timeline.slaPinned';
    case 'tag':
      return removed ? 'desk.timeline.tagRemoved' : 'desk.timeline.tagAdded';
    case 'watcher':
      return removed ? 'desk.timeline.watcherRemoved' : 'desk.timeline.watcherAdded';
    case 'link':
      return 'desk.timeline.linked';
    case 'merge':
      return added ? 'desk.timeline.mergedInto' : 'desk.timeline.mergedFrom';
    default:
      return 'desk.timeline.changed';
  }
}

/**
 * A value of a change as a person reads it: a translated state, priority or category, a
 * name, or the text itself. `field` is the history's name of the field (`assignee`).
 */
export function valueOf(
  field: string,
  raw: string | null,
  label: string | null,
  { t, names, locale = 'en' }: TimelineWords,
): string {
  if (raw === null) return t('desk.timeline.nothing');
  switch (field) {
    case 'link':
    case 'merge':
      return formatTicketNumber(raw, locale);
    case 'state':
      return t(`ticketState.${raw}` as MessageKey);
    case 'priority':
      return t(`priority.${raw}` as MessageKey);
    case 'category':
      return categoryLabel(raw, t);
    case 'assignee':
    case 'group':
    case 'sla_policy':
      return label ?? names.get(raw) ?? t('desk.timeline.gone');
    default:
      return raw;
  }
}

/** A category the desk offers, translated; any other is shown as written. */
export function categoryLabel(category: string, t: TimelineWords['t']): string {
  return (TICKET_CATEGORIES as readonly string[]).includes(category)
    ? t(`category.${category}` as MessageKey)
    : category;
}

function clockName(clock: unknown, t: TimelineWords['t']): string {
  return clock === 'firstResponse'
    ? t('desk.sla.firstResponse')
    : clock === 'resolution'
      ? t('desk.sla.resolution')
      : '';
}
