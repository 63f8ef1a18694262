import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { port, positiveInt } from './shared.js';

/** Where the hub listens and keeps its data: HTTP, MQTT (embedded or external), TLS, database. */
export const serverKeys = {
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
  BW_PUBLIC_URL: z
    .url({
      protocol: /^https?$/,
      error: 'an http:// or https:// address, such as https://hub.example.com',
    })
    .refine((u) => !URL.canParse(u) || /^[a-z]+:\/\/[^/?#]+\/?$/i.test(u), {
      message: 'give the origin only, such as https://hub.example.com (no path or query)',
    })
    .optional()
    .describe(
      "The hub's address as branch servers and people reach it (`https://hub.example.com`), used in install and enroll commands and in the agents' update URL. Default: the address the admin's browser used.",
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
    .describe(
      'Folder of the embedded PostgreSQL cluster, the secret key, agent releases and uploads being received.',
    ),
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
  BW_TRUSTED_PROXIES: z
    .string()
    .optional()
    .transform((value, ctx) => networkList(value ?? '', ctx))
    .describe(
      "Reverse proxies (addresses or CIDR blocks, separated by commas or spaces, e.g. `127.0.0.1,::1`) whose X-Forwarded-For, -Proto and -Host the hub believes. Default: none, so the client address is the connection's.",
    ),
};

/** Entries of a list of addresses and CIDR blocks; zod reports each one that is neither. */
export function networkList(value: string, ctx: z.RefinementCtx): string[] {
  const entries = value.split(/[\s,]+/).filter((e) => e !== '');
  for (const entry of entries)
    if (!parseProxyEntry(entry))
      ctx.addIssue({ code: 'custom', message: `${entry}: not an IP address or CIDR block` });
  return entries;
}

type ServerSettings = z.infer<z.ZodObject<typeof serverKeys>>;

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

/** bw-hub-<host name>: stable across restarts; give each process on one host its own id. */
export function defaultClientId(): string {
  const host = os
    .hostname()
    .replace(/[^A-Za-z0-9_.-]/g, '-')
    .slice(0, 40);
  return `bw-hub-${host || 'local'}`;
}

export function tlsConfig(c: ServerSettings): TlsConfig | undefined {
  if (!c.BW_TLS_CERT_FILE || !c.BW_TLS_KEY_FILE) return undefined;
  return {
    certFile: path.resolve(c.BW_TLS_CERT_FILE),
    keyFile: path.resolve(c.BW_TLS_KEY_FILE),
    caFile: c.BW_TLS_CA_FILE ? path.resolve(c.BW_TLS_CA_FILE) : undefined,
    mqttHost: c.BW_MQTTS_HOST,
    mqttPort: c.BW_MQTTS_PORT,
  };
}

/** An address or CIDR block (BW_TRUSTED_PROXIES and the like); undefined when it is neither. */
export function parseProxyEntry(
  entry: string,
): { address: string; prefix: number | undefined; family: 'ipv4' | 'ipv6' } | undefined {
  const [address = '', prefixText, extra] = entry.split('/');
  if (extra !== undefined) return undefined;
  const version = net.isIP(address);
  if (version === 0) return undefined;
  const family = version === 4 ? 'ipv4' : 'ipv6';
  if (prefixText === undefined) return { address, prefix: undefined, family };
  if (!/^\d{1,3}$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  if (prefix > (version === 4 ? 32 : 128)) return undefined;
  return { address, prefix, family };
}
