import { checkPurposeWords } from '../check-words.js';
import type { Language } from '../notify.js';
import { en } from './en.js';
import { fa } from './fa.js';
import { chartPath, type CheckRef, type Measurements, type PriorityFacts } from './facts.js';
import type { TicketText } from './facts.js';
import { fr } from './fr.js';
import type { CheckWords, TextLine, TextPart, TicketTextMessages } from './messages.js';

const CATALOGS: Record<Language, TicketTextMessages> = { en, fa, fr };

/** The unit of each measured field the contract defines; fields not listed are bare numbers. */
export const FIELD_UNITS: Readonly<Record<string, 'ms' | '%' | 's' | 'days'>> = {
  loss: '%',
  median: 'ms',
  p95: 'ms',
  max: 'ms',
  min: 'ms',
  jitter: 'ms',
  rttMean: 'ms',
  rttMax: 'ms',
  delay: 'ms',
  connect: 'ms',
  total: 'ms',
  firstByte: 'ms',
  resolveMs: 'ms',
  responseMs: 'ms',
  latency: 'ms',
  snapshotMs: 'ms',
  driftSeconds: 's',
  certDaysLeft: 'days',
};

export interface TextStyle {
  language: Language;
  /** IANA zone the times are shown in; default: the runtime's own (a browser's: the reader's). */
  timeZone?: string;
  /** Names the zone after each time, for text read elsewhere (the stored body, mails). */
  showZone?: boolean;
}

/** A renderer bound to one language and zone: formats times, numbers and durations. */
class Writer {
  readonly m: TicketTextMessages;
  private readonly dates: Intl.DateTimeFormat;
  private readonly zone: string;

  constructor(private readonly style: TextStyle) {
    this.m = CATALOGS[style.language] ?? en;
    this.dates = new Intl.DateTimeFormat(this.m.locale, {
      year: 'numeric',
      month: 'short',
      day: 'numeric',
      hour: 'numeric',
      minute: '2-digit',
      ...(style.timeZone ? { timeZone: style.timeZone } : {}),
    });
    this.zone = this.dates.resolvedOptions().timeZone;
  }

  time(iso: string): TextPart {
    const at = new Date(iso);
    if (Number.isNaN(at.getTime())) return { value: iso };
    const text = this.dates.format(at);
    return { time: iso, text: this.style.showZone ? `${text} (${this.zone})` : text };
  }

  count(n: number): string {
    return new Intl.NumberFormat(this.m.locale).format(n);
  }

  /** Sub-millisecond values keep two significant digits, under 10 one decimal, else none. */
  number(n: number): string {
    const options: Intl.NumberFormatOptions =
      Math.abs(n) > 0 && Math.abs(n) < 1
        ? { maximumSignificantDigits: 2 }
        : { maximumFractionDigits: Math.abs(n) < 10 ? 1 : 0 };
    return new Intl.NumberFormat(this.m.locale, options).format(n);
  }

  /** "1 h 2 min", the two largest units; under a second "0 s". */
  duration(ms: number): string {
    const total = Math.max(0, Math.round(ms / 1000));
    const { units } = this.m;
    const parts: [number, string][] = [
      [Math.floor(total / 86_400), units.d],
      [Math.floor((total % 86_400) / 3600), units.h],
      [Math.floor((total % 3600) / 60), units.min],
      [total % 60, units.s],
    ];
    const shown = parts.filter(([n]) => n > 0).slice(0, 2);
    if (shown.length === 0) return `${this.count(0)} ${units.s}`;
    return shown.map(([n, unit]) => `${this.count(n)} ${unit}`).join(' ');
  }

  measurement(field: string, value: number): TextPart[] {
    const label = this.m.fields[field];
    const unit = FIELD_UNITS[field];
    const figure =
      unit === '%'
        ? new Intl.NumberFormat(this.m.locale, {
            style: 'percent',
            maximumFractionDigits: 1,
          }).format(value / 100)
        : unit === undefined
          ? this.number(value)
          : `${this.number(value)} ${unit === 'ms' ? this.m.units.ms : unit === 's' ? this.m.units.s : this.m.units.days}`;
    return [label ?? { value: field }, ` ${figure}`];
  }

  /** The numeric fields of a round, nulls left out: "loss 100 %, median 23 ms". */
  measurements(fields: Measurements): TextLine {
    const line: TextLine = [];
    for (const [field, value] of Object.entries(fields)) {
      if (typeof value !== 'number' || !Number.isFinite(value)) continue;
      if (line.length > 0) line.push(this.m.comma);
      line.push(...this.measurement(field, value));
    }
    return line;
  }

  check(c: CheckRef): CheckWords {
    return {
      key: { value: c.key },
      type: { value: c.type.toUpperCase() },
      target: { value: c.target },
      wan: c.wan,
      branch: { value: c.branch },
      agent: { value: c.agent },
    };
  }

  reason(reason: string | null): TextPart {
    return reason === null ? this.m.noReason : { value: reason };
  }

  factors(p: PriorityFacts): string {
    const { m } = this;
    return [
      m.factor(m.category(p.category), this.count(p.weights.category)),
      m.factor(m.criticality(p.criticality), this.count(p.weights.criticality)),
      m.factor(m.repeats(p.repeats, this.count(p.repeats)), this.count(p.weights.repeats)),
      m.factor(m.children(p.children, this.count(p.children)), this.count(p.weights.impact)),
    ].join(m.comma);
  }

  priority(p: PriorityFacts, changed = false): TextLine {
    const say = changed ? this.m.priorityChanged : this.m.priorityLine;
    return say(this.m.priority[p.priority], this.count(p.score), this.factors(p));
  }
}

/**
 * The lines of a text the hub wrote, in a language and zone. Parts stay apart (times, machine
 * values, chart links) so that a page can render each as it should; `plainText` joins them.
 */
export function ticketTextLines(text: TicketText, style: TextStyle): TextLine[] {
  const w = new Writer(style);
  const { m } = w;
  switch (text.kind) {
    case 'check_failing': {
      const c = w.check(text.check);
      const lines: TextLine[] = [
        (text.reopened ? m.failingAgain : m.failingSince)(
          w.time(text.since),
          w.reason(text.reason),
        ),
        m.what(c),
        m.where(c),
      ];
      const measured = w.measurements(text.measured);
      if (measured.length > 0) lines.push(m.lastMeasured(measured));
      lines.push([{ chart: text.chart, text: m.chart }]);
      if (text.priority) lines.push(w.priority(text.priority));
      return lines;
    }
    case 'agent_offline': {
      const since = w.time(text.since);
      const lines: TextLine[] = text.reopened
        ? [m.agentAgain(since)]
        : [m.agentLost({ value: text.agent }), m.agentWhere({ value: text.branch })];
      if (!text.reopened) lines.push(m.agentSince(since), [m.agentAttached]);
      if (text.priority) lines.push(w.priority(text.priority));
      return lines;
    }
    case 'recovered': {
      const downtime =
        text.since === null ? '—' : w.duration(Date.parse(text.at) - Date.parse(text.since));
      const lines: TextLine[] = [m.recovered(w.time(text.at), downtime)];
      if (text.since !== null) lines.push(m.recoveredSince(w.time(text.since)));
      const worst = w.measurements(text.worst);
      if (worst.length > 0) lines.push(m.worst(worst));
      if (text.chart) lines.push([{ chart: text.chart, text: m.chartOfOutage }]);
      return lines;
    }
    case 'branch_reachable':
      return [
        m.branchUnreachable(
          w.time(text.from),
          w.time(text.to),
          w.duration(Date.parse(text.to) - Date.parse(text.from)),
          { value: text.agent },
        ),
      ];
    case 'flapping':
      return [
        m.flapping(
          text.changes,
          w.count(text.changes),
          w.duration(text.windowMs),
          w.duration(text.quietMs),
        ),
      ];
    case 'calm':
      return [m.calm(w.time(text.at))];
    case 'also_failing':
      return [m.alsoFailing(w.check(text.check), w.time(text.since), w.reason(text.reason))];
    case 'expired':
      return [
        m.expired(
          { value: text.check },
          text.lastResult === null ? null : w.time(text.lastResult),
          w.duration(text.allowedMs),
        ),
      ];
    case 'auto_resolved':
      return [m.autoResolved(text.why)];
    case 'auto_priority':
      return [w.priority(text.priority, true)];
    case 'stale': {
      const ago =
        text.lastResult === null
          ? null
          : w.duration(Date.parse(text.at) - Date.parse(text.lastResult));
      return [
        m.staleMissed({ value: text.check }, ago),
        m.staleAgent({ value: text.agent }, text.agentOnline),
        m.staleUnknown(w.time(text.since)),
      ];
    }
    case 'data_back':
      return [m.dataBack(w.duration(text.gapMs), text.stillFailing)];
    case 'job_failing': {
      const lines: TextLine[] = [
        m.jobFailing({ value: text.job }, w.count(text.failures), w.time(text.since)),
      ];
      if (text.target) lines.push(m.jobTarget({ value: text.target }, text.timescaledb));
      if (text.error) lines.push(m.jobError({ value: text.error }));
      lines.push([m.jobWhat]);
      return lines;
    }
    case 'job_recovered':
      return [m.jobRecovered({ value: text.job }, w.time(text.at))];
    case 'break_glass':
      return [
        m.breakGlassUsed(
          { value: text.username },
          w.time(text.at),
          text.ip === null ? null : { value: text.ip },
        ),
        [m.breakGlassWhat],
      ];
    case 'sso_certificate':
      return [
        m.ssoCertificate({ value: text.provider }, w.time(text.notAfter), text.expired),
        [m.ssoCertificateWhat],
      ];
    case 'sso_certificate_replaced':
      return [m.ssoCertificateReplaced({ value: text.provider }, w.time(text.at))];
    case 'sso_finding':
      return text.finding === 'sha1'
        ? [
            m.ssoSha1({ value: text.provider }, w.time(text.at), text.accepted === true),
            [m.ssoSha1What],
          ]
        : [
            m.ssoClockSkew(
              { value: text.provider },
              w.time(text.at),
              w.duration(Math.abs(text.seconds ?? 0) * 1000),
              (text.seconds ?? 0) > 0,
            ),
            [m.ssoClockSkewWhat],
          ];
    case 'sso_finding_cleared':
      return [m.ssoFindingCleared({ value: text.provider }, w.time(text.at), text.why)];
  }
}

/** A measured field's name as a person reads it ("median RTT"); an unknown field keeps its name. */
export function fieldLabel(field: string, language: Language): string {
  return (CATALOGS[language] ?? en).fields[field] ?? field;
}

/** A round's measured fields as a person reads them ("loss 100 %, median RTT 23 ms"). */
export function measurementLine(fields: Measurements, style: TextStyle): TextLine {
  return new Writer(style).measurements(fields);
}

/** The subject of a ticket an alert opens, in the tenant's language; null for other texts. */
export function ticketTextSubject(text: TicketText, language: Language): string | null {
  const m = CATALOGS[language] ?? en;
  if (text.kind === 'check_failing') {
    const { key, type, target, wan, branch } = text.check;
    return m.checkSubject({
      what: checkPurposeWords({ key, type, target, wan }, language),
      branch,
    });
  }
  if (text.kind === 'agent_offline')
    return text.agentNamed === false
      ? m.branchAgentSubject(text.branch)
      : m.agentSubject(text.agent, text.branch);
  if (text.kind === 'job_failing') return m.jobSubject(text.job);
  if (text.kind === 'break_glass') return m.breakGlassSubject;
  if (text.kind === 'sso_certificate') return m.ssoCertificateSubject(text.provider, text.expired);
  if (text.kind === 'sso_finding') return m.ssoFindingSubject(text.finding, text.provider);
  return null;
}

/**
 * Lines as plain text in their language; a chart link becomes its label and its address
 * (`base`, the web UI's own address when known, and the path).
 */
export function plainText(lines: readonly TextLine[], language: Language, base = ''): string {
  const m = CATALOGS[language] ?? en;
  return lines
    .map((line) =>
      line
        .map((part) =>
          typeof part === 'string'
            ? part
            : 'value' in part
              ? part.value
              : 'chart' in part
                ? m.link(part.text, `${base}${chartPath(part.chart)}`)
                : part.text,
        )
        .join(''),
    )
    .join('\n');
}
