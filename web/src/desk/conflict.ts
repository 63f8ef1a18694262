import type { DeskEvent, DeskTicket, TicketChange } from '../api/types';
import type { MessageKey } from '../i18n';
import { valueOf, type TimelineWords } from './timeline';

// Two people on one ticket: the hub refuses a change made to a version that moved on (412,
// docs/tickets.md "Two people at once"). These say what moved, and who moved it.

/** The fields a person sees and changes, with their name in the history. */
const FIELDS = [
  ['subject', 'subject', 'desk.field.subject'],
  ['state', 'state', 'desk.field.state'],
  ['priority', 'priority', 'desk.field.priority'],
  ['category', 'category', 'desk.field.category'],
  ['assigneeId', 'assignee', 'desk.field.assignee'],
  ['groupId', 'group', 'desk.field.group'],
  ['requesterName', 'requester', 'desk.field.requester'],
  ['requesterContact', 'requester_contact', 'desk.field.requesterContact'],
] as const satisfies readonly (readonly [
  keyof DeskTicket & keyof TicketChange,
  string,
  MessageKey,
])[];

export interface FieldDifference {
  label: string;
  old: string;
  new: string;
}

/** What differs between the ticket a person saw and the ticket as it is now. */
export function differences(
  shown: DeskTicket,
  current: DeskTicket,
  words: TimelineWords,
): FieldDifference[] {
  return FIELDS.filter(([field]) => shown[field] !== current[field]).map(
    ([field, history, label]) => ({
      label: words.t(label),
      old: valueOf(history, shown[field], null, words),
      new: valueOf(history, current[field], null, words),
    }),
  );
}

/** A change as the person asked for it: "Priority: High". */
export function describeChange(change: TicketChange, words: TimelineWords): string {
  return FIELDS.filter(([field]) => change[field] !== undefined)
    .map(
      ([field, history, label]) =>
        `${words.t(label)}: ${valueOf(history, (change[field] as string | null) ?? null, null, words)}`,
    )
    .join(', ');
}

/** Who changed the ticket after the version a person saw (by the time of that version). */
export function changedBy(events: DeskEvent[], since: string): string[] {
  const after = Date.parse(since);
  const who = events
    .filter((e) => e.kind === 'change' && Date.parse(e.at) > after && e.author !== null)
    .map((e) => e.author!);
  return [...new Set(who)];
}
