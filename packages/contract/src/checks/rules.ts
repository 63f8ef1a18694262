import type { z } from 'zod';
import { formatPath } from '../errors.js';
import type { CheckSpec } from '../payloads.js';
import type { ProbeType } from '../results/index.js';
import { dnsOptions } from './dns.js';
import { parseHostPort } from './host-port.js';
import { domainProblem, hostProblem } from './hosts.js';
import { httpOptions } from './http.js';
import { icmpOptions } from './icmp.js';
import { parseOnvifTarget } from './onvif-target.js';
import { onvifOptions } from './onvif.js';
import { parseSipTarget } from './sip-target.js';
import { sipOptions } from './sip.js';
import { snmpOptions } from './snmp.js';
import { tcpOptions } from './tcp.js';
import { voiceOptions } from './voice.js';

/**
 * What makes a check of one type valid: its options (with defaults), its target, and how long
 * a round can take. The agent's probes and the hub's check routes both judge a check by these,
 * so the hub refuses what the agent would refuse, with the same words.
 */
export interface CheckRules<O = unknown> {
  options: z.ZodType<O, unknown>;
  /** Why a target string is unusable for this type, or null when it is fine. */
  validateTarget(target: string): string | null;
  /** The longest a round can take with these options, so a shorter timeout can be refused. */
  roundMs?(options: O): number;
}

const problemOf = (parsed: unknown) => (typeof parsed === 'string' ? parsed : null);

export const icmpRules: CheckRules<z.infer<typeof icmpOptions>> = {
  options: icmpOptions,
  validateTarget: hostProblem,
  // The last ping leaves after (count - 1) periods and may wait a full per-ping timeout.
  roundMs: (o) => (o.count - 1) * o.periodMs + o.perPingTimeoutMs,
};

export const tcpRules: CheckRules<z.infer<typeof tcpOptions>> = {
  options: tcpOptions,
  validateTarget: (target) => problemOf(parseHostPort(target)),
};

export const httpRules: CheckRules<z.infer<typeof httpOptions>> = {
  options: httpOptions,
  validateTarget(target) {
    if (!URL.canParse(target)) return 'expected an http:// or https:// URL';
    const url = new URL(target);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      return 'expected an http:// or https:// URL';
    }
    // The target travels in every result; credentials belong in options.headers instead.
    if (url.username || url.password) {
      return 'credentials in the URL would be reported; use headers';
    }
    return null;
  },
};

export const dnsRules: CheckRules<z.infer<typeof dnsOptions>> = {
  options: dnsOptions,
  validateTarget: domainProblem,
};

export const sipRules: CheckRules<z.infer<typeof sipOptions>> = {
  options: sipOptions,
  validateTarget: (target) => problemOf(parseSipTarget(target)),
};

export const voiceRules: CheckRules<z.infer<typeof voiceOptions>> = {
  options: voiceOptions,
  validateTarget: (target) => problemOf(parseSipTarget(target)),
  // The last packet leaves after (count − 1) intervals and may wait a full reply timeout.
  roundMs: (o) => (o.count - 1) * o.intervalMs + o.replyTimeoutMs,
};

export const snmpRules: CheckRules<z.infer<typeof snmpOptions>> = {
  options: snmpOptions,
  validateTarget: (target) => {
    const problem = hostProblem(target);
    return problem && `${problem} (the port is the option \`port\`)`;
  },
};

export const onvifRules: CheckRules<z.infer<typeof onvifOptions>> = {
  options: onvifOptions,
  validateTarget: (target) => problemOf(parseOnvifTarget(target)),
  // The first call's deadline must fit in the check's timeout, or a silent camera would always
  // be cut off by the runner ("timeout after Ns") before the grace period could apply.
  roundMs: (o) => (o.mode === 'discover' ? o.discoveryTimeoutMs : o.requestTimeoutMs),
};

/** Rules of some type, whatever its options: what `resolveCheck` needs to judge a check. */
export interface AnyCheckRules {
  options: z.ZodType;
  validateTarget(target: string): string | null;
  roundMs?(options: never): number;
}

/** The rules of every probe type the contract knows. */
export const CHECK_RULES: { [T in ProbeType]: CheckRules<never> } = {
  icmp: icmpRules,
  tcp: tcpRules,
  http: httpRules,
  dns: dnsRules,
  sip: sipRules,
  voice: voiceRules,
  snmp: snmpRules,
  onvif: onvifRules,
} as { [T in ProbeType]: CheckRules<never> };

/** Schedule of checks that do not set their own (the agent file's `defaults`). */
export interface CheckDefaults {
  intervalSeconds: number;
  timeoutSeconds: number;
}

/** The agent's defaults when its file sets none; the hub assumes them until an agent says. */
export const DEFAULT_CHECK_DEFAULTS: CheckDefaults = { intervalSeconds: 60, timeoutSeconds: 10 };

/** One problem with a check, at a path inside it such as `options.count` or `target`. */
export interface CheckIssue {
  path: readonly PropertyKey[];
  message: string;
}

/** A check with its schedule filled in and its options parsed (defaults applied). */
export interface ResolvedCheck {
  id: string;
  type: ProbeType;
  target: string;
  intervalSeconds: number;
  timeoutSeconds: number;
  options: unknown;
}

/**
 * Judges one check by its type's rules: the type is known, the target and options are valid,
 * and a round fits in the timeout. Returns the check resolved, or every problem found.
 * `rulesOf` lets the agent judge by its own probe registry, which takes these rules.
 */
export function resolveCheck(
  spec: CheckSpec,
  defaults: CheckDefaults,
  rulesOf: (type: string) => AnyCheckRules | undefined = (type) =>
    Object.hasOwn(CHECK_RULES, type) ? CHECK_RULES[type as ProbeType] : undefined,
  known: readonly string[] = Object.keys(CHECK_RULES),
): { ok: true; check: ResolvedCheck } | { ok: false; issues: CheckIssue[] } {
  const rules = rulesOf(spec.type) as CheckRules | undefined;
  if (!rules) {
    const message = `unknown probe type "${spec.type}" (known: ${[...known].sort().join(', ')})`;
    return { ok: false, issues: [{ path: ['type'], message }] };
  }
  const issues: CheckIssue[] = [];
  const targetProblem = rules.validateTarget(spec.target);
  if (targetProblem) issues.push({ path: ['target'], message: targetProblem });
  const options = rules.options.safeParse(spec.options ?? {});
  if (!options.success) {
    issues.push(...issuesOf(options.error.issues, ['options']));
    return { ok: false, issues };
  }
  const timeoutSeconds = spec.timeoutSeconds ?? defaults.timeoutSeconds;
  const roundMs = rules.roundMs?.(options.data);
  if (roundMs !== undefined && roundMs > timeoutSeconds * 1000) {
    issues.push({
      path: [spec.timeoutSeconds === undefined ? 'options' : 'timeoutSeconds'],
      message: `a round with these options takes up to ${roundMs / 1000} s, longer than the timeout of ${timeoutSeconds} s`,
    });
  }
  if (issues.length > 0) return { ok: false, issues };
  return {
    ok: true,
    check: {
      id: spec.id,
      type: spec.type as ProbeType,
      target: spec.target,
      intervalSeconds: spec.intervalSeconds ?? defaults.intervalSeconds,
      timeoutSeconds,
      options: options.data,
    },
  };
}

/** Zod issues as check issues, one per unknown key, with zod's wording made shorter. */
export function issuesOf(
  issues: readonly z.core.$ZodIssue[],
  prefix: readonly PropertyKey[] = [],
): CheckIssue[] {
  const out: CheckIssue[] = [];
  for (const issue of issues) {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push({ path: [...path, key], message: 'unknown key' });
    } else if (issue.code === 'invalid_type' && issue.message.endsWith('received undefined')) {
      out.push({ path, message: 'required' });
    } else {
      out.push({ path, message: issue.message.replace(/^Invalid input: /, '') });
    }
  }
  return out;
}

/** `options.count: Too big…`, for a person reading a refusal. */
export const describeIssue = (issue: CheckIssue) =>
  issue.path.length > 0 ? `${formatPath(issue.path)}: ${issue.message}` : issue.message;
