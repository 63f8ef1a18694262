import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/**
 * The hub's one config loader (STYLE.md): every setting comes from the environment through
 * here, is validated, and gets its default. Unknown `BW_*` variables are errors, so a typo
 * such as `BW_HTTP_PROT` is caught at start instead of silently ignored.
 */

const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();

const schema = z.strictObject({
  BW_HTTP_PORT: port.default(8080),
  BW_HTTP_HOST: z.string().min(1).default('0.0.0.0'),
  BW_MQTT_PORT: port.default(1883),
  BW_MQTT_HOST: z.string().min(1).default('0.0.0.0'),
  /** The MQTT URL handed to agents in their config; defaults to the host the admin used. */
  BW_PUBLIC_MQTT_URL: z.url().optional(),
  BW_DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  BW_ADMIN_PASSWORD: z.string().min(8, 'must be at least 8 characters').optional(),
  BW_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
  /** Failed rounds in a row before a check is failing (DESIGN.md "Alerts become tickets"). */
  BW_ALERT_FAIL_ROUNDS: positiveInt.max(100).default(3),
  /** Good rounds in a row before a failing check has recovered. */
  BW_ALERT_RECOVER_ROUNDS: positiveInt.max(100).default(2),
  /** Days of raw rounds kept; rollups are kept longer (minute 90 d, hour 400 d, day always). */
  BW_RETENTION_DAYS: positiveInt.max(3650).default(30),
  /** Seconds between runs of the rollup job. */
  BW_ROLLUP_INTERVAL_SECONDS: positiveInt.max(3600).default(30),
  /** Folder of the built web UI. */
  BW_WEB_DIR: z.string().min(1).optional(),
});

export interface HubConfig {
  http: { host: string; port: number };
  mqtt: { host: string; port: number; publicUrl: string | undefined };
  dataDir: string;
  databaseUrl: string | undefined;
  adminPassword: string | undefined;
  logLevel: z.infer<typeof schema>['BW_LOG_LEVEL'];
  alerts: { failRounds: number; recoverRounds: number };
  timeseries: { retentionDays: number; rollupIntervalSeconds: number };
  webDir: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid hub configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

const defaultWebDir = fileURLToPath(new URL('../../web/dist', import.meta.url));

export function loadConfig(env: NodeJS.ProcessEnv = process.env): HubConfig {
  const known = new Set(Object.keys(schema.shape));
  const input: Record<string, string> = {};
  const problems: string[] = [];
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined || value === '') continue;
    if (known.has(key)) input[key] = value;
    else if (key.startsWith('BW_')) problems.push(`${key}: unknown setting${suggest(key, known)}`);
  }
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      problems.push(`${issue.path.join('.')}: ${issue.message}`);
    }
  }
  if (problems.length > 0 || !parsed.success) throw new ConfigError(problems);
  const c = parsed.data;
  return {
    http: { host: c.BW_HTTP_HOST, port: c.BW_HTTP_PORT },
    mqtt: { host: c.BW_MQTT_HOST, port: c.BW_MQTT_PORT, publicUrl: c.BW_PUBLIC_MQTT_URL },
    dataDir: path.resolve(c.BW_DATA_DIR),
    databaseUrl: c.DATABASE_URL,
    adminPassword: c.BW_ADMIN_PASSWORD,
    logLevel: c.BW_LOG_LEVEL,
    alerts: { failRounds: c.BW_ALERT_FAIL_ROUNDS, recoverRounds: c.BW_ALERT_RECOVER_ROUNDS },
    timeseries: {
      retentionDays: c.BW_RETENTION_DAYS,
      rollupIntervalSeconds: c.BW_ROLLUP_INTERVAL_SECONDS,
    },
    webDir: c.BW_WEB_DIR ? path.resolve(c.BW_WEB_DIR) : defaultWebDir,
  };
}

/** ", did you mean BW_HTTP_PORT?" when a known name is one or two edits away. */
function suggest(key: string, known: Set<string>): string {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of known) {
    const d = editDistance(key, candidate);
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best ? `, did you mean ${best}?` : '';
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length]!;
}
