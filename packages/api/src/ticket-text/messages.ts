import type { TicketPriority } from '../tickets.js';
import type { ChartRef, PriorityFacts } from './facts.js';

/**
 * One piece of a rendered line: prose; a moment (`time`, ISO, with its text in the reader's
 * zone and calendar); machine text (`value`: a check's key, a target, a probe's reason) that a
 * right-to-left page isolates from the prose around it; or a link to a chart.
 */
export type TextPart =
  string | { time: string; text: string } | { value: string } | { chart: ChartRef; text: string };

export type TextLine = TextPart[];

/** A check as the messages get it: its parts already formatted. */
export interface CheckWords {
  key: TextPart;
  type: TextPart;
  target: TextPart;
  wan: boolean;
  branch: TextPart;
  agent: TextPart;
}

/**
 * The words of one language. Each message arranges parts the renderer already formatted
 * (times, numbers, durations, measurements), so a language decides order and wording only.
 */
export interface TicketTextMessages {
  /** For Intl: Persian asks for the Jalali calendar explicitly. */
  locale: string;
  units: { d: string; h: string; min: string; s: string; ms: string; days: string };
  /** Separator between items of a list ("loss 100 %, median 20 ms"). */
  comma: string;
  priority: Record<TicketPriority, string>;
  /** Measured fields by the contract's names; others show their name. */
  fields: Record<string, string>;

  /** `what`: what the check watches, in words (check-words.ts), never its code name. */
  checkSubject(c: { what: string; branch: string }): string;
  agentSubject(agent: string, branch: string): string;
  /** An agent without a name of its own: the subject names the branch only. */
  branchAgentSubject(branch: string): string;
  jobSubject(job: string): string;
  breakGlassSubject: string;
  ssoCertificateSubject(provider: string, expired: boolean): string;

  failingSince(since: TextPart, reason: TextPart): TextLine;
  failingAgain(since: TextPart, reason: TextPart): TextLine;
  noReason: string;
  what(c: CheckWords): TextLine;
  where(c: CheckWords): TextLine;
  lastMeasured(list: TextLine): TextLine;
  chart: string;
  /** A link in plain text (a mail): its label and address. */
  link(label: string, url: string): string;
  agentLost(agent: TextPart): TextLine;
  agentWhere(branch: TextPart): TextLine;
  agentSince(since: TextPart): TextLine;
  agentAgain(since: TextPart): TextLine;
  agentAttached: string;
  /** "Priority low, 2 points: …": `factors` already carry their points. */
  priorityLine(priority: string, score: string, factors: string): TextLine;
  priorityChanged(priority: string, score: string, factors: string): TextLine;
  /** One factor and its points: "a TCP check (1)". */
  factor(words: string, points: string): string;
  /** What failed, by category: 'agent', 'wan' or a check type. */
  category(category: string): string;
  criticality(c: PriorityFacts['criticality']): string;
  /** `count` chooses the form; `n` is it formatted. */
  repeats(count: number, n: string): string;
  children(count: number, n: string): string;

  recovered(at: TextPart, downtime: string): TextLine;
  recoveredSince(since: TextPart): TextLine;
  worst(list: TextLine): TextLine;
  chartOfOutage: string;
  branchUnreachable(from: TextPart, to: TextPart, duration: string, agent: TextPart): TextLine;
  flapping(count: number, changes: string, window: string, quiet: string): TextLine;
  calm(at: TextPart): TextLine;
  alsoFailing(c: CheckWords, since: TextPart, reason: TextPart): TextLine;
  expired(check: TextPart, last: TextPart | null, allowed: string): TextLine;
  autoResolved(
    why:
      | 'check_recovered'
      | 'agent_back'
      | 'expired'
      | 'job_recovered'
      | 'certificate_replaced'
      | 'finding_cleared',
  ): TextLine;
  staleMissed(check: TextPart, ago: string | null): TextLine;
  staleAgent(agent: TextPart, online: boolean): TextLine;
  staleUnknown(since: TextPart): TextLine;
  dataBack(gap: string, stillFailing: boolean): TextLine;
  jobFailing(job: TextPart, failures: string, since: TextPart): TextLine;
  jobTarget(target: TextPart, timescaledb: boolean): TextLine;
  jobError(error: TextPart): TextLine;
  jobWhat: string;
  jobRecovered(job: TextPart, at: TextPart): TextLine;
  breakGlassUsed(user: TextPart, at: TextPart, ip: TextPart | null): TextLine;
  breakGlassWhat: string;
  ssoCertificate(provider: TextPart, notAfter: TextPart, expired: boolean): TextLine;
  ssoCertificateWhat: string;
  ssoCertificateReplaced(provider: TextPart, at: TextPart): TextLine;
  ssoFindingSubject(finding: 'sha1' | 'clock_skew', provider: string): string;
  ssoSha1(provider: TextPart, at: TextPart, accepted: boolean): TextLine;
  ssoSha1What: string;
  /** `ahead`: the provider's clock is ahead of the hub's; `by`: how far, in words. */
  ssoClockSkew(provider: TextPart, at: TextPart, by: string, ahead: boolean): TextLine;
  ssoClockSkewWhat: string;
  ssoFindingCleared(provider: TextPart, at: TextPart, why: 'quiet' | 'setting_changed'): TextLine;
}
