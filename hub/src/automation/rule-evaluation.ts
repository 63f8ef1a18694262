import { addBusinessMs, isWorkingTime, type BusinessCalendar } from '@branchwatch/sla';
import type { Action, Condition, Trigger } from './automation.schemas.js';

/**
 * The pure part of automation (docs/automation.md): from a ticket's stored history, when a
 * rule fires, on which facts, and what it would do. The engine and the simulator both call
 * these functions on the same events, so the simulator's answer is what the saved rule does.
 */

export interface RuleSpec {
  id: string;
  name: string;
  trigger: Trigger;
  match: 'all' | 'any';
  conditions: Condition[];
  actions: Action[];
  maxRunsPerTicket: number;
}

/** A ticket as it is now, with its history in id order. */
export interface TicketHistory {
  id: string;
  tenantId: string;
  number: number;
  subject: string;
  state: string;
  priority: string;
  category: string | null;
  source: string;
  branchId: string | null;
  groupId: string | null;
  assigneeId: string | null;
  requesterName: string | null;
  tags: string[];
  events: HistoryEvent[];
}

export interface HistoryEvent {
  id: number;
  at: Date;
  kind: string;
  field: string | null;
  oldValue: string | null;
  newValue: string | null;
  authorId: string | null;
  visibility: string;
  /** Set on what a rule did: `{ ruleId, ruleName, runId }`. */
  automation: { ruleId: string } | null;
}

export type TicketFacts = {
  state: string;
  priority: string;
  category: string | null;
  source: string;
  branch: string | null;
  group: string | null;
  assignee: string | null;
  tags: string[];
  requester: string | null;
  subject: string;
};

export interface ConditionResult {
  field: string;
  op: string;
  value: string | null;
  actual: unknown;
  matched: boolean;
}

/** One moment a rule would act: the facts then, the conditions and the key that makes it once. */
export interface Firing {
  at: Date;
  key: string;
  /** The last event the facts include. */
  eventId: number;
  facts: TicketFacts & { at: string };
  matched: ConditionResult[];
}

export type Calendars = Readonly<Record<string, BusinessCalendar>>;

const FIELD_OF_CHANGE: Record<string, keyof TicketFacts> = {
  state: 'state',
  priority: 'priority',
  category: 'category',
  subject: 'subject',
  assignee: 'assignee',
  group: 'group',
  requester: 'requester',
};

/**
 * The ticket's facts just after event `eventId`: today's values with every later change
 * undone (a change event keeps the value before it).
 */
export function factsAt(t: TicketHistory, eventId: number): TicketFacts {
  const facts: TicketFacts = {
    state: t.state,
    priority: t.priority,
    category: t.category,
    source: t.source,
    branch: t.branchId,
    group: t.groupId,
    assignee: t.assigneeId,
    tags: [...t.tags],
    requester: t.requesterName,
    subject: t.subject,
  };
  for (let i = t.events.length - 1; i >= 0; i--) {
    const e = t.events[i]!;
    if (e.id <= eventId) break;
    if (e.kind !== 'change' || !e.field) continue;
    if (e.field === 'tag') {
      if (e.newValue) facts.tags = facts.tags.filter((tag) => tag !== e.newValue);
      if (e.oldValue && !facts.tags.includes(e.oldValue)) facts.tags.push(e.oldValue);
      continue;
    }
    const key = FIELD_OF_CHANGE[e.field];
    if (key) (facts as unknown as Record<string, unknown>)[key] = e.oldValue;
  }
  facts.tags.sort();
  return facts;
}

export function evaluateConditions(
  rule: Pick<RuleSpec, 'match' | 'conditions'>,
  facts: TicketFacts,
  at: Date,
  calendars: Calendars,
): { matches: boolean; results: ConditionResult[] } {
  const results = rule.conditions.map((c) => evaluateCondition(c, facts, at, calendars));
  if (results.length === 0) return { matches: true, results };
  const matches =
    rule.match === 'all' ? results.every((r) => r.matched) : results.some((r) => r.matched);
  return { matches, results };
}

function evaluateCondition(
  c: Condition,
  facts: TicketFacts,
  at: Date,
  calendars: Calendars,
): ConditionResult {
  const result = (actual: unknown, matched: boolean): ConditionResult => ({
    field: c.field,
    op: c.op,
    value: c.value,
    actual,
    matched,
  });
  if (c.field === 'business_hours') {
    const calendar = c.calendarId ? calendars[c.calendarId] : undefined;
    // A calendar deleted since the rule was saved: the condition cannot hold.
    if (!calendar) return result(null, false);
    const inside = isWorkingTime(calendar, at);
    return result(inside, c.op === 'is' ? inside : !inside);
  }
  const actual = facts[c.field];
  if (Array.isArray(actual)) {
    const has = c.value !== null && actual.includes(c.value);
    if (c.op === 'contains') return result(actual, has);
    if (c.op === 'is_not') return result(actual, !has);
    if (c.op === 'is_set') return result(actual, actual.length > 0);
    return result(actual, actual.length === 0);
  }
  const value = actual ?? null;
  switch (c.op) {
    case 'is':
      return result(value, value !== null && value.toLowerCase() === c.value?.toLowerCase());
    case 'is_not':
      return result(value, value === null || value.toLowerCase() !== c.value?.toLowerCase());
    case 'contains':
      return result(
        value,
        value !== null && value.toLowerCase().includes((c.value ?? '').toLowerCase()),
      );
    case 'is_set':
      return result(value, value !== null && value !== '');
    case 'is_not_set':
      return result(value, value === null || value === '');
  }
}

/**
 * Groups of events written together (one change, one reply): the moments a ticket trigger
 * looks at. Events of one write share their time.
 */
export function eventGroups(events: readonly HistoryEvent[]): HistoryEvent[][] {
  const groups: HistoryEvent[][] = [];
  for (const e of events) {
    const last = groups.at(-1);
    if (last && last[0]!.at.getTime() === e.at.getTime()) last.push(e);
    else groups.push([e]);
  }
  return groups;
}

/**
 * Whether a group of events starts a ticket rule. A rule never starts on a group made only
 * of its own changes (it does not retrigger itself); other rules' changes do start it, which
 * the cap on runs per ticket bounds.
 */
export function startsTicketRule(trigger: Trigger, group: HistoryEvent[], ruleId: string) {
  if (group.every((e) => e.automation?.ruleId === ruleId)) return false;
  if (trigger.type === 'ticket_created') return group.some((e) => e.kind === 'opened');
  if (trigger.type === 'ticket_changed')
    return group.some((e) => e.kind !== 'opened' && e.automation?.ruleId !== ruleId);
  return false;
}

/** A ticket-rule firing for one group of events, or none when the conditions do not hold. */
export function ticketFiring(
  rule: RuleSpec,
  ticket: TicketHistory,
  group: HistoryEvent[],
  calendars: Calendars,
): Firing | undefined {
  if (!startsTicketRule(rule.trigger, group, rule.id)) return undefined;
  const last = group.at(-1)!;
  return firing(rule, ticket, last.id, last.at, `ev:${last.id}`, calendars);
}

function firing(
  rule: RuleSpec,
  ticket: TicketHistory,
  eventId: number,
  at: Date,
  key: string,
  calendars: Calendars,
): Firing | undefined {
  const facts = factsAt(ticket, eventId);
  const { matches, results } = evaluateConditions(rule, facts, at, calendars);
  if (!matches) return undefined;
  return { at, key, eventId, facts: { ...facts, at: at.toISOString() }, matched: results };
}

/** The last event at or before `at` (facts at an instant). */
function lastEventBy(ticket: TicketHistory, at: Date): HistoryEvent | undefined {
  let found: HistoryEvent | undefined;
  for (const e of ticket.events) if (e.at.getTime() <= at.getTime()) found = e;
  return found;
}

const ENDED = new Set(['resolved', 'closed']);

/**
 * Time rules' firings on a ticket up to `now`: `resolved_for` when the ticket stayed resolved
 * for the days (once per resolution), `no_reply_for` when a requester's message (the opening,
 * or a public reply without a hub author: mail) got no public reply from a person within the
 * business hours (once per message). Both need the ticket still in the same condition then.
 */
export function timeFirings(
  rule: RuleSpec,
  ticket: TicketHistory,
  now: Date,
  calendars: Calendars,
): Firing[] {
  const out: Firing[] = [];
  const trigger = rule.trigger;
  const stateAt = (at: Date) => {
    const e = lastEventBy(ticket, at);
    return e ? factsAt(ticket, e.id).state : ticket.state;
  };
  if (trigger.type === 'resolved_for') {
    for (const e of ticket.events) {
      const resolves =
        (e.kind === 'change' && e.field === 'state' && e.newValue === 'resolved') ||
        e.kind === 'resolved';
      if (!resolves) continue;
      const due = new Date(e.at.getTime() + trigger.days * 86_400_000);
      if (due > now) continue;
      // Still resolved then, and never moved in between.
      const moved = ticket.events.some(
        (o) =>
          o.id > e.id &&
          o.at.getTime() <= due.getTime() &&
          o.kind === 'change' &&
          o.field === 'state',
      );
      if (moved || stateAt(due) !== 'resolved') continue;
      const f = firing(
        rule,
        ticket,
        lastEventBy(ticket, due)!.id,
        due,
        `resolved:${e.id}`,
        calendars,
      );
      if (f) out.push(f);
    }
  }
  if (trigger.type === 'no_reply_for') {
    const calendar = calendars[trigger.calendarId];
    if (!calendar) return out;
    const asks = ticket.events.filter(
      (e) =>
        e.kind === 'opened' ||
        (e.kind === 'reply' && e.visibility === 'public' && e.authorId === null && !e.automation),
    );
    for (const ask of asks) {
      const due = addBusinessMs(calendar, ask.at, trigger.businessHours * 3_600_000);
      if (due > now) continue;
      const answered = ticket.events.some(
        (o) =>
          o.id > ask.id &&
          o.at.getTime() <= due.getTime() &&
          o.kind === 'reply' &&
          o.visibility === 'public' &&
          o.authorId !== null,
      );
      if (answered || ENDED.has(stateAt(due))) continue;
      const f = firing(
        rule,
        ticket,
        lastEventBy(ticket, due)!.id,
        due,
        `noreply:${ask.id}`,
        calendars,
      );
      if (f) out.push(f);
    }
  }
  return out;
}

/** A check's round for telemetry rules. */
export interface Round {
  checkId: string;
  checkName: string;
  branchId: string;
  at: Date;
  field: string;
  value: number;
}

/**
 * Telemetry firings: the first round of each episode whose field crosses the value (inside
 * working hours when the rule names a calendar). An episode ends with a round that does not
 * cross; `open` says whether the check already has an active ticket from this rule, in which
 * case nothing new fires.
 */
export function telemetryFirings(
  rule: RuleSpec,
  rounds: readonly Round[],
  calendars: Calendars,
): { round: Round; key: string }[] {
  const t = rule.trigger;
  if (t.type !== 'telemetry') return [];
  const calendar = t.calendarId ? calendars[t.calendarId] : undefined;
  if (t.calendarId && !calendar) return [];
  const out: { round: Round; key: string }[] = [];
  const inEpisode = new Set<string>();
  for (const r of [...rounds].sort((a, b) => a.at.getTime() - b.at.getTime())) {
    const crosses = t.op === '<' ? r.value < t.value : r.value > t.value;
    const counts = crosses && (!calendar || isWorkingTime(calendar, r.at));
    if (!counts) {
      if (!crosses) inEpisode.delete(r.checkId);
      continue;
    }
    if (inEpisode.has(r.checkId)) continue;
    inEpisode.add(r.checkId);
    out.push({ round: r, key: `telemetry:${r.at.toISOString()}` });
  }
  return out;
}
