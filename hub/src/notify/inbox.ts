import type { TicketEventRow, TicketFacts } from './notify-source.repository.js';

/** What a piece of news in the notification centre is about (docs/notifications.md). */
export const INBOX_KINDS = [
  'reply',
  'state',
  'assigned',
  'mention',
  'sla_warning',
  'sla_breach',
] as const;
export type InboxKind = (typeof INBOX_KINDS)[number];

/** What the centre shows of it: words the web puts in the reader's language. */
export interface InboxData {
  number: number;
  subject: string;
  /** Who did it (their username); null for the hub itself. */
  author: string | null;
  /** `state`: the new state. */
  state?: string;
  /** `reply`: the start of the reply. */
  excerpt?: string;
  /** `sla_*`: which clock. */
  clock?: string;
}

export interface InboxEntry {
  userId: string;
  kind: InboxKind;
  data: InboxData;
}

const EXCERPT = 200;

/**
 * Who hears of one ticket event in the centre, and what: the people concerned (assignee,
 * whoever opened it, its watchers — branch staff who follow it among them) hear of public
 * replies and state changes; the new assignee of an assignment; the person mentioned; the
 * assignee of an SLA warning or breach. Nobody hears of their own action; internal notes reach
 * no one here (branch staff must never read them, the desk reads them on the ticket).
 */
export function inboxEntries(t: TicketFacts, row: TicketEventRow): InboxEntry[] {
  const base: InboxData = { number: t.number, subject: t.subject, author: row.author };
  const concerned = [t.assigneeId, t.createdBy, ...t.watchers];
  let kind: InboxKind | null = null;
  let to: (string | null)[] = [];
  let data = base;
  if (row.kind === 'reply' && row.visibility === 'public') {
    kind = 'reply';
    to = concerned;
    data = { ...base, excerpt: (row.body ?? '').slice(0, EXCERPT) };
  } else if (row.kind === 'change' && row.field === 'state' && row.newValue) {
    kind = 'state';
    to = concerned;
    data = { ...base, state: row.newValue };
  } else if (row.kind === 'resolved') {
    kind = 'state';
    to = concerned;
    data = { ...base, state: 'resolved' };
  } else if (row.kind === 'change' && row.field === 'assignee' && row.newValue) {
    kind = 'assigned';
    to = [row.newValue];
  } else if (row.kind === 'mention' && typeof row.data?.userId === 'string') {
    kind = 'mention';
    to = [row.data.userId];
  } else if (row.kind === 'sla_warning' || row.kind === 'sla_escalation') {
    kind = row.kind === 'sla_warning' ? 'sla_warning' : 'sla_breach';
    to = [t.assigneeId];
    data = { ...base, clock: typeof row.data?.clock === 'string' ? row.data.clock : undefined };
  }
  if (!kind) return [];
  const people = new Set(to.filter((u): u is string => !!u && u !== row.authorId));
  return [...people].map((userId) => ({ userId, kind: kind!, data }));
}
