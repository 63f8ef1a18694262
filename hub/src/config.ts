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
  // Identity (docs/hub.md "Sign-in security") — added by the identity feature.
  BW_LOGIN_MAX_FAILURES: positiveInt
    .max(1000)
    .default(5)
    .describe('Failed logins in a row that lock an account for BW_LOGIN_LOCKOUT_MINUTES.'),
  BW_LOGIN_LOCKOUT_MINUTES: positiveInt
    .max(7 * 24 * 60)
    .default(15)
    .describe('Minutes an account stays locked (answer 423) after too many failed logins.'),
  BW_LOGIN_RATE_WINDOW_SECONDS: positiveInt
    .max(86400)
    .default(60)
    .describe('Sliding window over which failed logins are counted per username and per IP.'),
  BW_LOGIN_RATE_MAX_PER_USERNAME: positiveInt
    .max(100_000)
    .default(10)
    .describe('Failed logins for one username within the window before answers are 429.'),
  BW_LOGIN_RATE_MAX_PER_IP: positiveInt
    .max(100_000)
    .default(30)
    .describe('Failed logins from one client address within the window before answers are 429.'),
  BW_MFA_REQUIRED_ROLES: z
    .string()
    .default('')
    .describe(
      'Comma-separated roles whose users must use two-factor authentication, e.g. `admin,tenant_admin`; they enrol at their next login.',
    ),
  // Notifications (docs/notifications.md) — added by the notify feature.
  BW_NOTIFY_MAX_ATTEMPTS: positiveInt
    .max(100)
    .default(8)
    .describe('Delivery attempts before a notification becomes a dead letter.'),
  BW_NOTIFY_RETRY_BASE_MS: positiveInt
    .max(3_600_000)
    .default(30_000)
    .describe('First retry delay, milliseconds; doubles per attempt, with jitter.'),
  BW_NOTIFY_RETRY_MAX_MS: positiveInt
    .max(86_400_000)
    .default(3_600_000)
    .describe('Longest retry delay, milliseconds.'),
  BW_NOTIFY_SEND_TIMEOUT_MS: positiveInt
    .max(300_000)
    .default(15_000)
    .describe('Deadline of one delivery attempt (HTTP request, SMTP session), milliseconds.'),
  BW_NOTIFY_POLL_MS: positiveInt
    .max(3_600_000)
    .default(5_000)
    .describe('How often the outbox looks for due retries, milliseconds.'),
  BW_NOTIFY_DIGEST_HOUR: z.coerce
    .number()
    .int()
    .min(0)
    .max(23)
    .default(7)
    .describe('Hour of the day (UTC) the daily digest is sent to users who asked for it.'),
  BW_SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
    .optional()
    .describe(
      'Mail server for email notifications, e.g. `smtp://user:password@mail.example.com:587` (STARTTLS when offered) or `smtps://…:465`; email is off when unset.',
    ),
  BW_SMTP_FROM: z
    .string()
    .min(3)
    .default('Branchwatch <branchwatch@localhost>')
    .describe('From address of notification mails.'),
  BW_TELEGRAM_BOT_TOKEN: z
    .string()
    .regex(/^\d+:[\w-]+$/, 'must look like 123456:ABC-DEF…')
    .optional()
    .describe('Token of the Telegram bot (from @BotFather); Telegram is off when unset.'),
  BW_TELEGRAM_API_URL: z
    .url()
    .default('https://api.telegram.org')
    .describe('Base URL of the Telegram Bot API (a local Bot API server, or a test stand-in).'),
  BW_TELEGRAM_POLL_SECONDS: z.coerce
    .number()
    .int()
    .min(0)
    .max(50)
    .default(25)
    .describe('Long-poll timeout of getUpdates for bot commands; 0 turns the bot commands off.'),
  BW_INFLUX_URL: z
    .url()
    .optional()
    .describe('InfluxDB (or compatible) URL to export every result to; export is off when unset.'),
  BW_INFLUX_TOKEN: z.string().default('').describe('InfluxDB API token.'),
  BW_INFLUX_ORG: z.string().default('branchwatch').describe('InfluxDB organisation.'),
  BW_INFLUX_BUCKET: z.string().min(1).default('branchwatch').describe('InfluxDB bucket.'),
  BW_INFLUX_FLUSH_MS: positiveInt
    .max(600_000)
    .default(5_000)
    .describe('Longest time a result waits in the export batch, milliseconds.'),
  BW_IMAP_URL: z
    .string()
    .regex(/^imaps?:\/\//, 'must be an imap:// or imaps:// URL')
    .optional()
    .describe(
      'Mailbox that mail to ticket polls, e.g. `imaps://support%40example.com:password@mail.example.com`; off when unset.',
    ),
  BW_IMAP_MAILBOX: z.string().min(1).default('INBOX').describe('Folder polled for new mail.'),
  BW_IMAP_POLL_SECONDS: positiveInt
    .max(86400)
    .default(60)
    .describe('Seconds between polls of the mailbox.'),
  BW_IMAP_TICKET_USER: z
    .string()
    .min(1)
    .default('admin')
    .describe(
      'Hub user that mail from senders without a hub account is filed as; its tenant gets the tickets.',
    ),
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
  notify: NotifyConfig;
  identity: IdentityConfig;
}

export interface IdentityConfig {
  maxFailures: number;
  lockoutMinutes: number;
  rateWindowSeconds: number;
  rateMaxPerUsername: number;
  rateMaxPerIp: number;
  mfaRequiredRoles: string[];
}

export interface NotifyConfig {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  sendTimeoutMs: number;
  pollMs: number;
  digestHour: number;
  smtp: { url: string; from: string } | undefined;
  telegram: { token: string; apiUrl: string; pollSeconds: number } | undefined;
  influx: { url: string; token: string; org: string; bucket: string; flushMs: number } | undefined;
  imap: { url: string; mailbox: string; pollSeconds: number; ticketUser: string } | undefined;
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
    notify: notifyConfig(c),
    identity: {
      maxFailures: c.BW_LOGIN_MAX_FAILURES,
      lockoutMinutes: c.BW_LOGIN_LOCKOUT_MINUTES,
      rateWindowSeconds: c.BW_LOGIN_RATE_WINDOW_SECONDS,
      rateMaxPerUsername: c.BW_LOGIN_RATE_MAX_PER_USERNAME,
      rateMaxPerIp: c.BW_LOGIN_RATE_MAX_PER_IP,
      mfaRequiredRoles: c.BW_MFA_REQUIRED_ROLES.split(',')
        .map((r) => r.trim())
        .filter(Boolean),
    },
  };
}

function notifyConfig(c: z.infer<typeof schema>): NotifyConfig {
  return {
    maxAttempts: c.BW_NOTIFY_MAX_ATTEMPTS,
    baseDelayMs: c.BW_NOTIFY_RETRY_BASE_MS,
    maxDelayMs: c.BW_NOTIFY_RETRY_MAX_MS,
    sendTimeoutMs: c.BW_NOTIFY_SEND_TIMEOUT_MS,
    pollMs: c.BW_NOTIFY_POLL_MS,
    digestHour: c.BW_NOTIFY_DIGEST_HOUR,
    smtp: c.BW_SMTP_URL ? { url: c.BW_SMTP_URL, from: c.BW_SMTP_FROM } : undefined,
    telegram: c.BW_TELEGRAM_BOT_TOKEN
      ? {
          token: c.BW_TELEGRAM_BOT_TOKEN,
          apiUrl: c.BW_TELEGRAM_API_URL.replace(/\/$/, ''),
          pollSeconds: c.BW_TELEGRAM_POLL_SECONDS,
        }
      : undefined,
    influx: c.BW_INFLUX_URL
      ? {
          url: c.BW_INFLUX_URL,
          token: c.BW_INFLUX_TOKEN,
          org: c.BW_INFLUX_ORG,
          bucket: c.BW_INFLUX_BUCKET,
          flushMs: c.BW_INFLUX_FLUSH_MS,
        }
      : undefined,
    imap: c.BW_IMAP_URL
      ? {
          url: c.BW_IMAP_URL,
          mailbox: c.BW_IMAP_MAILBOX,
          pollSeconds: c.BW_IMAP_POLL_SECONDS,
          ticketUser: c.BW_IMAP_TICKET_USER,
        }
      : undefined,
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
