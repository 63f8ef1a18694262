import path from 'node:path';
import { z } from 'zod';
import { HUB_PACKAGE_ROOT } from '../core/package-root.js';
import { alertKeys, alertsConfig, timeseriesConfig } from './alerts.js';
import { helpdeskConfig, helpdeskKeys, identityConfig, type IdentityConfig } from './helpdesk.js';
import { limitKeys, limitsConfig, type HubLimits } from './limits.js';
import { notifyConfig, notifyKeys, type NotifyConfig } from './notify.js';
import {
  defaultClientId,
  serverKeys,
  tlsConfig,
  type ExternalBrokerConfig,
  type TlsConfig,
} from './server.js';

export type { ExternalBrokerConfig, HubLimits, IdentityConfig, NotifyConfig, TlsConfig };

/**
 * The hub's one config loader (docs/contributing.md): every setting comes from the environment through
 * here, is validated, and gets its default. Unknown `BW_*` variables are errors, so a typo
 * such as `BW_HTTP_PROT` is caught at start instead of silently ignored.
 */

const schema = z.strictObject({
  ...serverKeys,
  ...alertKeys,
  ...helpdeskKeys,
  ...notifyKeys,
  ...limitKeys,
});

/** Every setting the hub reads, for the config reference and deploy/ checks. */
export const configSchema = schema;

export interface HubConfig {
  /** `trustedProxies`: entries of BW_TRUSTED_PROXIES (http/trusted-proxy.ts). */
  http: {
    host: string;
    port: number;
    trustedProxies: string[];
    /** BW_PUBLIC_URL as an origin (no trailing slash), when set. */
    publicOrigin: string | undefined;
  };
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
  alerts: ReturnType<typeof alertsConfig>;
  timeseries: ReturnType<typeof timeseriesConfig>;
  webDir: string;
  /** Set when TLS files are configured: HTTPS on http.port, MQTT over TLS on tls.mqttPort. */
  tls: TlsConfig | undefined;
  helpdesk: ReturnType<typeof helpdeskConfig>;
  notify: NotifyConfig;
  identity: IdentityConfig;
  limits: HubLimits;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid hub configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

const defaultWebDir = path.join(HUB_PACKAGE_ROOT, '../web/dist');

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
    http: {
      host: c.BW_HTTP_HOST,
      port: c.BW_HTTP_PORT,
      trustedProxies: c.BW_TRUSTED_PROXIES,
      publicOrigin: c.BW_PUBLIC_URL ? new URL(c.BW_PUBLIC_URL).origin : undefined,
    },
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
    alerts: alertsConfig(c),
    timeseries: timeseriesConfig(c),
    webDir: c.BW_WEB_DIR ? path.resolve(c.BW_WEB_DIR) : defaultWebDir,
    tls,
    helpdesk: helpdeskConfig(c),
    notify: notifyConfig(c),
    identity: identityConfig(c),
    limits: limitsConfig(c),
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
