import os from 'node:os';
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
  BW_HTTP_PORT: port
    .default(8080)
    .describe(
      'Port of the web UI, the API and MQTT over WebSocket (`/mqtt`); HTTPS when TLS is configured.',
    ),
  BW_HTTP_HOST: z
    .string()
    .min(1)
    .default('0.0.0.0')
    .describe('Address the HTTP(S) server listens on.'),
  BW_MQTT_PORT: port.default(1883).describe('Port of plain MQTT over TCP.'),
  BW_MQTT_HOST: z
    .string()
    .min(1)
    .optional()
    .describe(
      'Address plain MQTT listens on. Default `0.0.0.0`, or `127.0.0.1` when TLS is configured, so that passwords never cross the network in clear.',
    ),
  BW_PUBLIC_MQTT_URL: z
    .url()
    .optional()
    .describe(
      "The MQTT URL handed to agents in their config. Default: `mqtts://` on BW_MQTTS_PORT when TLS is configured, else `mqtt://` on BW_MQTT_PORT, at the host the admin's browser used.",
    ),
  // External broker keys: restored after a concurrent edit (see the packaging report); their
  // owner should check the defaults.
  BW_MQTT_URL: z
    .url()
    .optional()
    .describe(
      'An external MQTT 5 broker (mqtt:// or mqtts://) to ingest from through shared subscriptions; the embedded broker is not started then.',
    ),
  BW_MQTT_CLIENT_ID: z
    .string()
    .min(1)
    .optional()
    .describe(
      'Client id prefix of this hub process on the external broker. Default `bw-hub-<host name>`; give each process its own.',
    ),
  BW_MQTT_INGEST_WORKERS: positiveInt
    .max(64)
    .default(2)
    .describe('MQTT 5 ingest clients this process runs on the external broker.'),
  BW_MQTT_SESSION_EXPIRY_SECONDS: positiveInt
    .default(86400)
    .describe(
      'How long the external broker keeps an ingest session (and its queued messages) while the hub is away.',
    ),
  BW_DATA_DIR: z
    .string()
    .min(1)
    .default('./data')
    .describe('Folder of the embedded PostgreSQL cluster and of attachments.'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional()
    .describe('An external PostgreSQL (or TimescaleDB) to use instead of the embedded one.'),
  BW_ADMIN_PASSWORD: z
    .string()
    .min(8, 'must be at least 8 characters')
    .optional()
    .describe(
      'Password of the first `admin` user; when unset the hub generates one and shows it once.',
    ),
  BW_LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace'])
    .default('info')
    .describe('Least severe log level written (JSON lines on stdout).'),
  BW_ALERT_FAIL_ROUNDS: positiveInt
    .max(100)
    .default(3)
    .describe(
      'Failed rounds in a row before a check is failing (DESIGN.md "Alerts become tickets").',
    ),
  BW_ALERT_RECOVER_ROUNDS: positiveInt
    .max(100)
    .default(2)
    .describe('Good rounds in a row before a failing check has recovered.'),
  // Alerts (docs/alerts.md) — added by the alerts feature.
  BW_ALERT_FLAP_CHANGES: positiveInt
    .max(1000)
    .default(5)
    .describe('More state changes than this inside the flap window mark a check flapping.'),
  BW_ALERT_FLAP_WINDOW_SECONDS: positiveInt
    .max(86400)
    .default(1800)
    .describe('Window over which state changes are counted for flapping, seconds.'),
  BW_ALERT_FLAP_QUIET_SECONDS: positiveInt
    .max(86400)
    .default(1800)
    .describe('Seconds without a state change before a flapping check is calm again.'),
  BW_ALERT_REOPEN_SECONDS: z.coerce
    .number()
    .int()
    .min(0)
    .max(30 * 86400)
    .default(3600)
    .describe('A repeat this soon after its ticket was resolved reopens that ticket; 0: never.'),
  BW_ALERT_EXPIRE_SECONDS: positiveInt
    .max(365 * 86400)
    .default(86400)
    .describe('A failing check without any result for this long has its alert expired.'),
  BW_ALERT_AGENT_OFFLINE_GRACE_SECONDS: z.coerce
    .number()
    .int()
    .min(0)
    .max(86400)
    .default(60)
    .describe('Seconds an agent may be offline before its "agent offline" ticket opens.'),
  BW_ALERT_SWEEP_SECONDS: positiveInt
    .max(3600)
    .default(15)
    .describe('Seconds between alert sweeps (grace, maintenance end, flapping calm, expiry).'),
  BW_RETENTION_DAYS: positiveInt
    .max(3650)
    .default(30)
    .describe(
      'Days of raw rounds kept; rollups are kept longer (minute 90 d, hour 400 d, day always).',
    ),
  BW_ROLLUP_INTERVAL_SECONDS: positiveInt
    .max(3600)
    .default(30)
    .describe('Seconds between runs of the rollup job.'),
  BW_WEB_DIR: z
    .string()
    .min(1)
    .optional()
    .describe('Folder of the built web UI. Default: `web/dist` of the source tree or tarball.'),
  // TLS from files (docs/hub-install.md); SIGHUP reloads them without a restart.
  BW_TLS_CERT_FILE: z
    .string()
    .min(1)
    .optional()
    .describe(
      'PEM certificate (chain) of the hub. With BW_TLS_KEY_FILE: HTTPS on BW_HTTP_PORT and MQTT over TLS on BW_MQTTS_PORT.',
    ),
  BW_TLS_KEY_FILE: z.string().min(1).optional().describe('PEM private key of BW_TLS_CERT_FILE.'),
  BW_TLS_CA_FILE: z
    .string()
    .min(1)
    .optional()
    .describe(
      'PEM intermediate certificates sent after the server certificate, when BW_TLS_CERT_FILE holds only the leaf.',
    ),
  BW_MQTTS_PORT: port
    .default(8883)
    .describe('Port of MQTT over TLS; used only when TLS is configured.'),
  BW_MQTTS_HOST: z.string().min(1).default('0.0.0.0').describe('Address MQTT over TLS listens on.'),
  // Helpdesk (docs/tickets.md).
  BW_ATTACHMENT_MAX_BYTES: positiveInt
    .default(10 * 1024 * 1024)
    .describe('Largest ticket attachment accepted, in bytes.'),
  BW_ATTACHMENT_TYPES: z
    .string()
    .min(1)
    .default(
      'image/*,text/plain,text/csv,application/pdf,application/zip,application/x-pcap,application/vnd.tcpdump.pcap',
    )
    .describe(
      'Comma-separated MIME types accepted as ticket attachments; `image/*` accepts a family.',
    ),
  BW_SLA_SWEEP_SECONDS: positiveInt
    .max(3600)
    .default(60)
    .describe('Seconds between SLA sweeps (warnings and escalations).'),
});

/** Every setting the hub reads, for the config reference and deploy/ checks. */
export const configSchema = schema;

export interface HubConfig {
  http: { host: string; port: number };
  mqtt: {
    host: string;
    port: number;
    publicUrl: string | undefined;
    /** Set when BW_MQTT_URL names an external broker; the embedded one is not started then. */
    external: ExternalBrokerConfig | undefined;
  };
  dataDir: string;
  databaseUrl: string | undefined;
  adminPassword: string | undefined;
  logLevel: z.infer<typeof schema>['BW_LOG_LEVEL'];
  alerts: {
    failRounds: number;
    recoverRounds: number;
    flap: { changes: number; windowSeconds: number; quietSeconds: number };
    reopenSeconds: number;
    expireSeconds: number;
    agentOfflineGraceSeconds: number;
    sweepSeconds: number;
  };
  timeseries: { retentionDays: number; rollupIntervalSeconds: number };
  webDir: string;
  /** Set when TLS files are configured: HTTPS on http.port, MQTT over TLS on tls.mqttPort. */
  tls: TlsConfig | undefined;
  helpdesk: { attachmentMaxBytes: number; attachmentTypes: string[]; slaSweepSeconds: number };
}

export interface ExternalBrokerConfig {
  url: string;
  clientId: string;
  workers: number;
  sessionExpirySeconds: number;
}

export interface TlsConfig {
  certFile: string;
  keyFile: string;
  caFile: string | undefined;
  mqttHost: string;
  mqttPort: number;
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
  if (parsed.success && !parsed.data.BW_TLS_CERT_FILE !== !parsed.data.BW_TLS_KEY_FILE) {
    problems.push('BW_TLS_CERT_FILE and BW_TLS_KEY_FILE: give both or neither');
  }
  if (problems.length > 0 || !parsed.success) throw new ConfigError(problems);
  const c = parsed.data;
  const tls = tlsConfig(c);
  return {
    http: { host: c.BW_HTTP_HOST, port: c.BW_HTTP_PORT },
    mqtt: {
      host: c.BW_MQTT_HOST ?? (tls ? '127.0.0.1' : '0.0.0.0'),
      port: c.BW_MQTT_PORT,
      publicUrl: c.BW_PUBLIC_MQTT_URL,
      external: c.BW_MQTT_URL
        ? {
            url: c.BW_MQTT_URL,
            clientId: c.BW_MQTT_CLIENT_ID ?? defaultClientId(),
            workers: c.BW_MQTT_INGEST_WORKERS,
            sessionExpirySeconds: c.BW_MQTT_SESSION_EXPIRY_SECONDS,
          }
        : undefined,
    },
    dataDir: path.resolve(c.BW_DATA_DIR),
    databaseUrl: c.DATABASE_URL,
    adminPassword: c.BW_ADMIN_PASSWORD,
    logLevel: c.BW_LOG_LEVEL,
    alerts: {
      failRounds: c.BW_ALERT_FAIL_ROUNDS,
      recoverRounds: c.BW_ALERT_RECOVER_ROUNDS,
      flap: {
        changes: c.BW_ALERT_FLAP_CHANGES,
        windowSeconds: c.BW_ALERT_FLAP_WINDOW_SECONDS,
        quietSeconds: c.BW_ALERT_FLAP_QUIET_SECONDS,
      },
      reopenSeconds: c.BW_ALERT_REOPEN_SECONDS,
      expireSeconds: c.BW_ALERT_EXPIRE_SECONDS,
      agentOfflineGraceSeconds: c.BW_ALERT_AGENT_OFFLINE_GRACE_SECONDS,
      sweepSeconds: c.BW_ALERT_SWEEP_SECONDS,
    },
    timeseries: {
      retentionDays: c.BW_RETENTION_DAYS,
      rollupIntervalSeconds: c.BW_ROLLUP_INTERVAL_SECONDS,
    },
    webDir: c.BW_WEB_DIR ? path.resolve(c.BW_WEB_DIR) : defaultWebDir,
    tls,
    helpdesk: {
      attachmentMaxBytes: c.BW_ATTACHMENT_MAX_BYTES,
      attachmentTypes: c.BW_ATTACHMENT_TYPES.split(',').map((t) => t.trim().toLowerCase()),
      slaSweepSeconds: c.BW_SLA_SWEEP_SECONDS,
    },
  };
}

/** bw-hub-<host name>: stable across restarts; give each process on one host its own id. */
function defaultClientId(): string {
  const host = os
    .hostname()
    .replace(/[^A-Za-z0-9_.-]/g, '-')
    .slice(0, 40);
  return `bw-hub-${host || 'local'}`;
}

function tlsConfig(c: z.infer<typeof schema>): TlsConfig | undefined {
  if (!c.BW_TLS_CERT_FILE || !c.BW_TLS_KEY_FILE) return undefined;
  return {
    certFile: path.resolve(c.BW_TLS_CERT_FILE),
    keyFile: path.resolve(c.BW_TLS_KEY_FILE),
    caFile: c.BW_TLS_CA_FILE ? path.resolve(c.BW_TLS_CA_FILE) : undefined,
    mqttHost: c.BW_MQTTS_HOST,
    mqttPort: c.BW_MQTTS_PORT,
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
