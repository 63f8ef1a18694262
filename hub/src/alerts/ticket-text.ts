import {
  plainText,
  ticketTextLines,
  ticketTextSubject,
  type ChartRef,
  type CheckRef,
  type Language,
  type Measurements,
  type PriorityFacts,
  type TicketText,
} from '@branchwatch/api';
import type { AlertAgent, AlertCheck, MeasuredRound } from './incident.repository.js';
import { breaches, lowerIsWorse, type Threshold } from './thresholds.js';

/**
 * What a ticket says, written for the person who acts on it: what failed, where, since when,
 * the measurements, a link to the chart and why it has its priority (docs/alerts.md
 * "Tickets"). The hub keeps the facts (`data.text` of the event) and writes the body from them
 * in the tenant's language, with times in the branch's zone; the web renders the same facts
 * in the reader's language, zone and calendar (@branchwatch/api ticket-text).
 */

/** How the hub writes for a tenant: its language, the branch's zone, the web UI's address. */
export interface Voice {
  language: Language;
  timeZone: string;
  /** The web UI's own address (BW_NOTIFY_WEB_URL), so that chart links work from a mail. */
  webUrl?: string;
}

/** An event's body and data: the text in the tenant's language, and the facts it came from. */
export interface Written {
  body: string;
  data: { text: TicketText };
}

export function write(text: TicketText, voice: Voice): Written {
  const lines = ticketTextLines(text, {
    language: voice.language,
    timeZone: voice.timeZone,
    showZone: true,
  });
  return { body: plainText(lines, voice.language, voice.webUrl ?? ''), data: { text } };
}

/** The subject of the ticket an alert opens, in the tenant's language. */
export function subjectOf(text: TicketText, voice: Voice): string {
  return ticketTextSubject(text, voice.language) ?? '';
}

/** The branch page's chart for a check around an outage (a route of the web UI). */
export function chartOf(check: AlertCheck, from: Date, to: Date): ChartRef {
  return {
    branchId: check.branchId,
    checkId: check.id,
    from: from.toISOString(),
    to: to.toISOString(),
  };
}

export function checkRef(check: AlertCheck): CheckRef {
  return {
    key: check.key,
    type: check.type,
    target: check.target,
    wan: check.role === 'wan',
    branch: check.branchName,
    agent: check.agentName,
  };
}

/** A check failing: since when, why, its last measurements, the chart from an hour before. */
export function checkFailing(
  check: AlertCheck,
  since: Date,
  reason: string | null,
  now: Date,
  extra: { priority?: PriorityFacts; reopened?: boolean } = {},
): TicketText {
  return {
    kind: 'check_failing',
    check: checkRef(check),
    since: since.toISOString(),
    reason,
    measured: measurements(check.lastFields),
    chart: chartOf(check, new Date(since.getTime() - 3600_000), now),
    ...extra,
  };
}

export function agentOffline(
  agent: AlertAgent,
  since: Date,
  extra: { priority?: PriorityFacts; reopened?: boolean } = {},
): TicketText {
  return {
    kind: 'agent_offline',
    agent: agent.name,
    // An agent nobody named goes by its code name: the subject then names only the branch.
    agentNamed: agent.name !== agent.slug,
    branch: agent.branchName,
    since: since.toISOString(),
    ...extra,
  };
}

export function recovered(
  since: Date | null,
  at: Date,
  worst: Measurements,
  chart: ChartRef | undefined,
): TicketText {
  return {
    kind: 'recovered',
    since: since?.toISOString() ?? null,
    at: at.toISOString(),
    worst,
    ...(chart ? { chart } : {}),
  };
}

/**
 * The rounds of an outage, given newest first: without the good rounds at the newest end, the
 * ones that ended it (a TCP check's failed rounds measure nothing, and the "worst" connect time
 * would be a good round's). A round is bad as ingest judged it: failed, or a threshold breached.
 */
export function outageRounds(
  newestFirst: readonly MeasuredRound[],
  thresholds: readonly Threshold[],
): Record<string, unknown>[] {
  const bad = newestFirst.findIndex(
    (r) => r.status === 'failed' || breaches(r.fields, thresholds).length > 0,
  );
  return bad < 0 ? [] : newestFirst.slice(bad).map((r) => r.fields);
}

/**
 * The worst value of each numeric field over an outage's rounds: the maximum, or the minimum
 * for fields where lower is worse (MOS), fields that thresholds watch first: they are what the
 * alert was about.
 */
export function worstMeasurements(
  rounds: readonly Record<string, unknown>[],
  thresholds: readonly Threshold[],
): Measurements {
  const worst = new Map<string, number>();
  for (const fields of rounds) {
    for (const [field, value] of Object.entries(fields)) {
      if (typeof value !== 'number' || !Number.isFinite(value)) continue;
      const previous = worst.get(field);
      const lower = lowerIsWorse(field, thresholds);
      if (previous === undefined || (lower ? value < previous : value > previous)) {
        worst.set(field, value);
      }
    }
  }
  const watched = new Set(thresholds.map((t) => t.field));
  const fields = [...worst.keys()].sort(
    (a, b) => Number(watched.has(b)) - Number(watched.has(a)) || a.localeCompare(b),
  );
  return Object.fromEntries(fields.map((f) => [f, worst.get(f)!]));
}

/** The numeric fields of a round (null where it measured nothing); others are left out. */
function measurements(fields: Record<string, unknown> | null): Measurements {
  return Object.fromEntries(
    Object.entries(fields ?? {}).filter(
      (entry): entry is [string, number | null] =>
        entry[1] === null || typeof entry[1] === 'number',
    ),
  );
}

/** A check stopped reporting while its ticket is open (docs/alerts.md "Stale checks"). */
export function stale(check: AlertCheck, since: Date, now: Date): TicketText {
  return {
    kind: 'stale',
    check: check.key,
    agent: check.agentName,
    agentOnline: check.agentOnline,
    since: since.toISOString(),
    lastResult: check.lastResultAt?.toISOString() ?? null,
    at: now.toISOString(),
  };
}

/** Results of a stale check came back. */
export function dataBack(check: AlertCheck, since: Date, now: Date): TicketText {
  return {
    kind: 'data_back',
    gapMs: now.getTime() - since.getTime(),
    stillFailing: check.state === 'failing',
  };
}
