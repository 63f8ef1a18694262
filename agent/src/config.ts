import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import {
  MAX_RESULTS_BYTES,
  MAX_RESULTS_PER_BATCH,
  TOPIC_SEGMENT,
  checkSpec,
  describeIssue,
  resolveCheck,
  type CheckDefaults,
  type CheckSpec,
  type ResolvedCheck,
  type ProbeType,
} from '@branchwatch/contract';
import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { ConfigError, fromZodIssues, locate, type RawIssue } from './config/issues.js';
import { LOG_LEVELS, type LogLevel } from './log.js';
import { probes as defaultProbes, type ProbeRegistry } from './probes/registry.js';
import { trapsConfig, type TrapsConfig } from './traps/config.js';

export { ConfigError, formatIssue, type ConfigIssue } from './config/issues.js';

/**
 * The agent's one config loader (docs/contributing.md: one validated loader per process). The file is YAML
 * and strict: an unknown key is an error, like blackbox_exporter's KnownFields(true), so a
 * misspelt setting never silently falls back to its default.
 */

const segment = z.string().regex(TOPIC_SEGMENT, 'must be 1-63 of a-z, 0-9, "-", "_"');
const BROKER_PROTOCOLS = ['mqtt:', 'mqtts:', 'ws:', 'wss:'];

const updateConfig = z.strictObject({
  /** The hub's HTTP(S) base URL that serves updates. */
  url: z.string().refine((url) => URL.canParse(url) && /^https?:$/.test(new URL(url).protocol), {
    message: 'expected an http:// or https:// URL',
  }),
  /** Release key (base64 SPKI DER); defaults to the key pinned in the binary at build time. */
  publicKey: z.string().min(1).optional(),
  /** The binary the service runs and updates replace; defaults to this single executable. */
  binary: z.string().min(1).optional(),
  checkIntervalMinutes: z.number().positive().max(10080).default(60),
  /** A new version that is not connected to the hub after this long is rolled back. */
  healthySeconds: z.number().int().min(5).max(3600).default(120),
});

/** The config file's schema, exported for the generated docs/config-reference.md. */
export const fileSchema = z.strictObject({
  hub: z.strictObject({
    url: z
      .string()
      .refine((url) => URL.canParse(url) && BROKER_PROTOCOLS.includes(new URL(url).protocol), {
        message: 'expected an mqtt://, mqtts://, ws:// or wss:// URL',
      }),
    username: z.string().min(1),
    password: z.string().min(1),
  }),
  agent: z.strictObject({ tenant: segment, branch: segment, id: segment }),
  spool: z
    .strictObject({
      dir: z.string().min(1).default('./spool'),
      // At least one full payload, so that any batch the agent makes fits in the spool.
      maxBytes: z
        .number()
        .int()
        .min(MAX_RESULTS_BYTES)
        .default(100 * 1024 * 1024),
    })
    .prefault({}),
  batch: z
    .strictObject({
      intervalSeconds: z.number().positive().max(3600).default(5),
      maxResults: z.number().int().min(1).max(MAX_RESULTS_PER_BATCH).default(500),
    })
    .prefault({}),
  /** Rounds that may run at the same time. */
  concurrency: z.number().int().min(1).max(256).default(8),
  /** SNMP notification receiver (traps/config.ts); absent: none runs. */
  traps: trapsConfig.optional(),
  /** Schedule of checks that do not set their own. */
  defaults: z
    .strictObject({
      intervalSeconds: z.number().positive().max(86400).default(60),
      timeoutSeconds: z.number().positive().max(3600).default(10),
    })
    .prefault({}),
  logLevel: z.enum(LOG_LEVELS).default('info'),
  checks: z.array(checkSpec).max(1000).default([]),
  /** Signed self-updates (update/updater.ts); absent: none. Written by `enroll`. */
  update: updateConfig.optional(),
});

/** One check, resolved: its schedule filled in and its options validated by its probe. */
export type CheckConfig = ResolvedCheck;

export interface Config {
  /** The file this came from, as it was named. */
  file: string;
  hub: { url: string; username: string; password: string };
  agent: { tenant: string; branch: string; id: string };
  spool: { dir: string; maxBytes: number };
  batch: { intervalSeconds: number; maxResults: number };
  concurrency: number;
  logLevel: LogLevel;
  traps?: TrapsConfig;
  update?: UpdateConfig;
  /** Schedule of checks that do not set their own, also for checks handed over by the hub. */
  defaults: CheckDefaults;
  checks: CheckConfig[];
}

export type UpdateConfig = z.infer<typeof updateConfig>;

export type { CheckDefaults };

/** Reads and validates a config file; throws ConfigError naming every problem. */
export async function loadConfig(
  file: string,
  registry: ProbeRegistry = defaultProbes,
): Promise<Config> {
  const absolute = resolve(file);
  let text: string;
  try {
    text = await readFile(absolute, 'utf8');
  } catch (err) {
    throw new ConfigError(file, [{ path: '', message: `cannot read: ${(err as Error).message}` }]);
  }
  return parseConfig(text, file, { registry, baseDir: dirname(absolute) });
}

export interface ParseOptions {
  registry?: ProbeRegistry;
  /** Folder that relative paths (spool.dir) resolve against: the config file's folder. */
  baseDir?: string;
}

/** Validates config text; `file` only names the source in messages. Throws ConfigError. */
export function parseConfig(text: string, file: string, options: ParseOptions = {}): Config {
  const registry = options.registry ?? defaultProbes;
  const lines = new LineCounter();
  // uniqueKeys: a key given twice is an error too, not "the last one wins".
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true });
  const yamlError = doc.errors[0];
  if (yamlError) {
    const pos = yamlError.linePos?.[0];
    // yaml appends "at line L, column C:" and a code frame; the line goes in front instead.
    const what = yamlError.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    const line = pos?.line;
    const message = `not valid YAML: ${what}${pos ? ` (column ${pos.col})` : ''}`;
    throw new ConfigError(file, [{ path: '', message, ...(line === undefined ? {} : { line }) }]);
  }
  const parsed = fileSchema.safeParse(doc.toJS() ?? {});
  if (!parsed.success) {
    throw new ConfigError(file, locate(fromZodIssues(parsed.error.issues), doc, lines));
  }
  const raw = parsed.data;
  const issues: RawIssue[] = [];
  const checks = resolveChecks(raw.checks, raw.defaults, registry, issues);
  if (issues.length > 0) throw new ConfigError(file, locate(issues, doc, lines));
  return {
    file,
    hub: raw.hub,
    agent: raw.agent,
    spool: { dir: resolve(options.baseDir ?? '.', raw.spool.dir), maxBytes: raw.spool.maxBytes },
    batch: raw.batch,
    concurrency: raw.concurrency,
    logLevel: raw.logLevel,
    ...(raw.traps ? { traps: raw.traps } : {}),
    ...(raw.update ? { update: raw.update } : {}),
    defaults: raw.defaults,
    checks,
  };
}

/** A check of the hub's config that the agent does not run, and why. */
export interface RefusedCheck {
  id: string;
  message: string;
}

/**
 * Checks handed over by the hub, validated exactly like the file's (same probes, same
 * defaults), one by one: a check this agent cannot run is refused alone, with the reason
 * (`target: …`, `options.count: …`), and the others run.
 */
export function resolveRemoteChecks(
  specs: readonly CheckSpec[],
  defaults: CheckDefaults,
  registry: ProbeRegistry = defaultProbes,
): { checks: CheckConfig[]; refused: RefusedCheck[] } {
  const checks: CheckConfig[] = [];
  const refused: RefusedCheck[] = [];
  const seen = new Set<string>();
  for (const spec of specs) {
    if (seen.has(spec.id)) {
      refused.push({ id: spec.id, message: `id: duplicate id "${spec.id}"` });
      continue;
    }
    seen.add(spec.id);
    const resolved = resolveOne(spec, defaults, registry);
    if (resolved.ok) checks.push(resolved.check);
    else refused.push({ id: spec.id, message: resolved.issues.map(describeIssue).join('; ') });
  }
  return { checks, refused };
}

/** One check judged by the contract's rules, as this agent's probes take them. */
function resolveOne(spec: CheckSpec, defaults: CheckDefaults, registry: ProbeRegistry) {
  const result = resolveCheck(
    spec,
    defaults,
    (type) => (Object.hasOwn(registry, type) ? registry[type as ProbeType] : undefined),
    Object.keys(registry),
  );
  return result.ok ? { ...result, check: result.check as CheckConfig } : result;
}

/** Second pass over checks: each probe validates its target and its own options. */
function resolveChecks(
  specs: readonly CheckSpec[],
  defaults: CheckDefaults,
  registry: ProbeRegistry,
  issues: RawIssue[],
): CheckConfig[] {
  const firstIndex = new Map<string, number>();
  const checks: CheckConfig[] = [];
  specs.forEach((spec, i) => {
    const seen = firstIndex.get(spec.id);
    if (seen === undefined) firstIndex.set(spec.id, i);
    else
      issues.push({
        path: ['checks', i, 'id'],
        message: `duplicate id "${spec.id}" (first at checks[${seen}])`,
      });
    const resolved = resolveOne(spec, defaults, registry);
    if (resolved.ok) checks.push(resolved.check);
    else issues.push(...resolved.issues.map((x) => ({ ...x, path: ['checks', i, ...x.path] })));
  });
  return checks;
}

/** `config OK: 2 checks (icmp, tcp)`: what `check-config` prints for a good file. */
export function summarizeConfig(config: Config): string {
  const types = [...new Set(config.checks.map((c) => c.type))].sort();
  const noun = config.checks.length === 1 ? 'check' : 'checks';
  const kinds = types.length > 0 ? ` (${types.join(', ')})` : '';
  return `config OK: ${config.checks.length} ${noun}${kinds}`;
}
