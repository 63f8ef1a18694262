import type { ClockKind, PolicyResolver, SlaPolicy, TicketFacts } from '../policy/sla-policy.js';
import type { TicketEvent, TicketState } from './ticket-events.js';

export type ClockPhase = 'running' | 'paused' | 'stopped';

/** A stretch of a clock's life with one phase and one policy; `to` null: still going at now. */
export interface ClockSegment {
  readonly from: number;
  to: number | null;
  readonly phase: ClockPhase;
  readonly policy: SlaPolicy | undefined;
}

export type ClockTimelines = Record<ClockKind, ClockSegment[]>;

// docs/architecture.md, "Tickets and SLA": "Waiting and on-hold pause the clocks."
const PAUSING: readonly TicketState[] = ['waiting', 'on_hold'];
const FINISHED: readonly TicketState[] = ['resolved', 'closed'];

interface TicketReplay {
  state: TicketState;
  facts: TicketFacts;
  pinnedPolicyId: string | null;
  /** First response is given once, by a person's public reply or by resolving the ticket. */
  responded: boolean;
}

function phaseOf(kind: ClockKind, t: TicketReplay): ClockPhase {
  if (kind === 'firstResponse' && t.responded) return 'stopped';
  if (FINISHED.includes(t.state)) return 'stopped';
  return PAUSING.includes(t.state) ? 'paused' : 'running';
}

function apply(t: TicketReplay, event: TicketEvent): void {
  switch (event.type) {
    case 'created':
      throw new RangeError('a ticket event log has exactly one "created" event');
    case 'stateChanged':
      t.state = event.state;
      // A ticket resolved before anyone replied needs no first response any more (as
      // Zendesk fulfils its reply-time metric on solve); reopening does not bring it back.
      if (FINISHED.includes(event.state)) t.responded = true;
      break;
    case 'replied':
      if (event.by === 'agent' && event.public) t.responded = true;
      break;
    case 'priorityChanged':
      t.facts = { ...t.facts, priority: event.priority };
      break;
    case 'categoryChanged':
      t.facts = { ...t.facts, category: event.category };
      break;
    case 'policyChanged':
      t.pinnedPolicyId = event.policyId;
      break;
  }
}

function policyFor(t: TicketReplay, resolver: PolicyResolver): SlaPolicy | undefined {
  // A pinned policy that no longer exists falls back to matching rather than dropping the
  // clocks: the log outlives policies an admin deletes.
  const pinned = t.pinnedPolicyId === null ? undefined : resolver.byId(t.pinnedPolicyId);
  return pinned ?? resolver.match(t.facts);
}

/** Events in time order, log order kept for equal times, nothing after `now`. */
export function orderedEvents(events: readonly TicketEvent[], now: number): TicketEvent[] {
  return events
    .map((event, index) => ({ event, index }))
    .filter(({ event }) => event.at.getTime() <= now)
    .sort((a, b) => a.event.at.getTime() - b.event.at.getTime() || a.index - b.index)
    .map(({ event }) => event);
}

/**
 * Replays a ticket's log into the segments of each clock. A new segment starts whenever the
 * clock's phase or its policy changes, so every paused stretch stays on record across policy
 * changes (GLPI loses paused time when the SLA is changed: glpi-project/glpi#6902). A stopped
 * clock ignores policy changes: its result was settled when it stopped.
 */
export function replayTicket(
  events: readonly TicketEvent[],
  resolver: PolicyResolver,
  now: number,
): ClockTimelines {
  const [created, ...rest] = orderedEvents(events, now);
  if (created?.type !== 'created') {
    throw new RangeError('a ticket event log starts with its "created" event (at or before now)');
  }
  const { type: _type, at: _at, ...facts } = created;
  const ticket: TicketReplay = { state: 'open', facts, pinnedPolicyId: null, responded: false };
  const timelines: ClockTimelines = { firstResponse: [], resolution: [] };
  const kinds = Object.keys(timelines) as ClockKind[];
  const step = (at: number): void => {
    const policy = policyFor(ticket, resolver);
    for (const kind of kinds) {
      const segments = timelines[kind];
      const phase = phaseOf(kind, ticket);
      const last = segments.at(-1);
      if (last && last.phase === phase && (phase === 'stopped' || last.policy === policy)) continue;
      if (last) last.to = at;
      segments.push({ from: at, to: null, phase, policy });
    }
  };
  step(created.at.getTime());
  for (const event of rest) {
    apply(ticket, event);
    step(event.at.getTime());
  }
  for (const kind of kinds) {
    // Zero-length segments (two changes at one instant) carry no time and would only clutter.
    timelines[kind] = timelines[kind].filter((s) => s.to === null || s.to > s.from);
  }
  return timelines;
}
