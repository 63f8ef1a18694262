import { formatDuration } from '../core/duration.js';
import type { AlertAgent, AlertCheck } from './incident.repository.js';
import { lowerIsWorse, round, unitOf, type Threshold } from './thresholds.js';

/**
 * What a ticket says, written for the person who acts on it: what failed, where, since when,
 * the measurements and a link to the chart (docs/alerts.md "Tickets").
 */

/** The branch page's chart for a check around an outage (a route of the web UI). */
export function chartLink(check: AlertCheck, from: Date, to: Date): string {
  const q = new URLSearchParams({
    check: check.id,
    from: from.toISOString(),
    to: to.toISOString(),
  });
  return `/branches/${check.branchId}?${q.toString()}`;
}

export function checkSubject(check: AlertCheck): string {
  return `${check.key} failing at ${check.branchName}: ${check.type} ${check.target}`;
}

export function checkBody(check: AlertCheck, since: Date, reason: string | null, now: Date) {
  const lines = [
    `Failing since ${since.toISOString()}: ${reason ?? 'no reason given'}.`,
    `What: ${check.type} check "${check.key}" on ${check.target}${check.role === 'wan' ? ' (the branch WAN)' : ''}.`,
    `Where: branch ${check.branchName}, agent ${check.agentName}.`,
  ];
  const measured = formatFields(check.lastFields);
  if (measured) lines.push(`Last measurements: ${measured}.`);
  lines.push(`Chart: ${chartLink(check, new Date(since.getTime() - 3600_000), now)}`);
  return lines.join('\n');
}

export function agentSubject(agent: AlertAgent): string {
  return `Agent ${agent.name} offline at ${agent.branchName}: branch unreachable`;
}

export function agentBody(agent: AlertAgent, since: Date): string {
  return [
    `What: the agent ${agent.name} lost its connection to the hub (MQTT last will or disconnect).`,
    `Where: branch ${agent.branchName}.`,
    `Since: ${since.toISOString()}.`,
    'The branch cannot be measured while the agent is away; alerts of its checks attach here.',
  ].join('\n');
}

export function recoveryNote(
  since: Date | null,
  at: Date,
  worst: string | undefined,
  link: string | undefined,
): string {
  const downtime = since ? formatDuration(at.getTime() - since.getTime()) : 'unknown';
  return [
    `Recovered at ${at.toISOString()} after ${downtime} of downtime` +
      (since ? ` (failing since ${since.toISOString()}).` : '.'),
    ...(worst ? [`Worst during the outage: ${worst}.`] : []),
    ...(link ? [`Chart: ${link}`] : []),
  ].join('\n');
}

/**
 * The worst value of each numeric field over an outage's rounds: the maximum, or the minimum
 * for fields where lower is worse (MOS). "loss 100 %, median 212 ms".
 */
export function worstMeasurements(
  rounds: readonly Record<string, unknown>[],
  thresholds: readonly Threshold[],
): string | undefined {
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
  // Fields that thresholds watch first: they are what the alert was about.
  const watched = new Set(thresholds.map((t) => t.field));
  const fields = [...worst.keys()].sort(
    (a, b) => Number(watched.has(b)) - Number(watched.has(a)) || a.localeCompare(b),
  );
  const text = fields.map((f) => `${f} ${round(worst.get(f)!)}${unitOf(f)}`).join(', ');
  return text || undefined;
}

function formatFields(fields: Record<string, unknown> | null): string {
  if (!fields) return '';
  return Object.entries(fields)
    .filter(([, v]) => typeof v === 'number')
    .map(([k, v]) => `${k} ${round(v as number)}${unitOf(k)}`)
    .join(', ');
}

/** A check stopped reporting while its ticket is open (docs/alerts.md "Stale checks"). */
export function staleNote(check: AlertCheck, since: Date, now: Date): string {
  const last = check.lastResultAt;
  return [
    `No data: ${check.key} has missed two rounds in a row` +
      (last
        ? `; its last result came ${formatDuration(now.getTime() - last.getTime())} ago.`
        : '.'),
    check.agentOnline
      ? `The agent ${check.agentName} is connected but does not report this check (it may have been taken out of its configuration).`
      : `The agent ${check.agentName} is not connected to the hub.`,
    `Whether the check still fails cannot be seen: the ticket stays open and is neither counted as failing nor resolved until results come back (stale since ${since.toISOString()}).`,
  ].join('\n');
}

/** Results of a stale check came back. */
export function dataBackNote(check: AlertCheck, since: Date, now: Date): string {
  const gap = formatDuration(now.getTime() - since.getTime());
  const state =
    check.state === 'failing'
      ? 'it still fails.'
      : 'it reports again; the ticket follows its state from here.';
  return `Data is back after ${gap} without results: ${state}`;
}
