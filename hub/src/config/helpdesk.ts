import path from 'node:path';
import { z } from 'zod';
import { positiveInt } from './shared.js';

/** Tickets (attachments, SLA sweep) and identity (login limits, lockout, required 2FA). */
export const helpdeskKeys = {
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
  BW_CLAMD_SOCKET: z
    .string()
    .refine((v) => clamdAddress(v) !== undefined, {
      message: 'expected HOST:PORT (e.g. 127.0.0.1:3310) or the absolute path of a Unix socket',
    })
    .optional()
    .describe(
      "ClamAV's clamd, which scans every attachment before it is stored: `HOST:PORT` of its TCPSocket or the path of its LocalSocket (Debian: `/run/clamav/clamd.ctl`). While clamd does not answer, uploads are refused (503). Unset: attachments are not scanned.",
    ),
  BW_CLAMD_TIMEOUT_SECONDS: positiveInt
    .max(600)
    .default(30)
    .describe(
      'Seconds clamd has to give its verdict on one attachment; past that the upload is refused (503).',
    ),
  BW_SLA_SWEEP_SECONDS: positiveInt
    .max(3600)
    .default(60)
    .describe('Seconds between SLA sweeps (warnings and escalations).'),
  // Identity (docs/hub.md "Sign-in security") — added by the identity feature.
  BW_LOGIN_MAX_FAILURES: positiveInt
    .max(1000)
    .default(5)
    .describe(
      'Failed logins of one username from one address answered at once; after them each attempt from that address waits twice as long as the one before (1 s, 2 s, 4 s …).',
    ),
  BW_LOGIN_LOCKOUT_MINUTES: positiveInt
    .max(7 * 24 * 60)
    .default(15)
    .describe(
      'Longest wait, in minutes, between attempts of one username from one address; no account is ever locked (the owner elsewhere signs in at once).',
    ),
  BW_LOGIN_RATE_WINDOW_SECONDS: positiveInt
    .max(86400)
    .default(60)
    .describe('Sliding window over which failed logins are counted per username and per IP.'),
  BW_LOGIN_RATE_MAX_PER_USERNAME: positiveInt
    .max(100_000)
    .default(10)
    .describe(
      'Failed logins of one username from all addresses within the window after which every address waits from its first failure on.',
    ),
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
  BW_SECRET_KEY_FILE: z
    .string()
    .min(1)
    .optional()
    .describe(
      'File holding the key (base64 of 32 random bytes) that encrypts TOTP secrets at rest; must exist. Unset: `secret.key` in BW_DATA_DIR, created on first start. Back it up with the database.',
    ),
};

type HelpdeskSettings = z.infer<z.ZodObject<typeof helpdeskKeys>>;

export interface IdentityConfig {
  maxFailures: number;
  lockoutMinutes: number;
  rateWindowSeconds: number;
  rateMaxPerUsername: number;
  rateMaxPerIp: number;
  mfaRequiredRoles: string[];
  /** BW_SECRET_KEY_FILE, resolved; undefined: the data folder's (identity/secret-box.ts). */
  secretKeyFile: string | undefined;
}

export function helpdeskConfig(c: HelpdeskSettings) {
  return {
    attachmentMaxBytes: c.BW_ATTACHMENT_MAX_BYTES,
    attachmentTypes: c.BW_ATTACHMENT_TYPES.split(',').map((t) => t.trim().toLowerCase()),
    slaSweepSeconds: c.BW_SLA_SWEEP_SECONDS,
    scanner: {
      address: c.BW_CLAMD_SOCKET === undefined ? undefined : clamdAddress(c.BW_CLAMD_SOCKET),
      timeoutSeconds: c.BW_CLAMD_TIMEOUT_SECONDS,
    },
  };
}

/** `127.0.0.1:3310`, `[::1]:3310` or `/run/clamav/clamd.ctl`. */
function clamdAddress(text: string): { host: string; port: number } | { path: string } | undefined {
  if (text.startsWith('/')) return { path: text };
  const match = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(text);
  if (!match) return undefined;
  const port = Number(match[3]);
  if (port < 1 || port > 65535) return undefined;
  return { host: (match[1] ?? match[2])!, port };
}

export function identityConfig(c: HelpdeskSettings): IdentityConfig {
  return {
    maxFailures: c.BW_LOGIN_MAX_FAILURES,
    lockoutMinutes: c.BW_LOGIN_LOCKOUT_MINUTES,
    rateWindowSeconds: c.BW_LOGIN_RATE_WINDOW_SECONDS,
    rateMaxPerUsername: c.BW_LOGIN_RATE_MAX_PER_USERNAME,
    rateMaxPerIp: c.BW_LOGIN_RATE_MAX_PER_IP,
    mfaRequiredRoles: c.BW_MFA_REQUIRED_ROLES.split(',')
      .map((r) => r.trim())
      .filter(Boolean),
    secretKeyFile: c.BW_SECRET_KEY_FILE && path.resolve(c.BW_SECRET_KEY_FILE),
  };
}
