import { z } from 'zod';
import { PERMISSIONS } from './permissions.js';
import { timestamp, uuid } from '../http/schemas.js';
import { ROLES } from '@branchwatch/api';

/** Answers of the login, session, 2FA, API-token, user, role, tenant and audit routes. */
export const publicUser = z.object({ id: uuid, username: z.string(), role: z.enum(ROLES) });

export const session = z.object({
  user: publicUser,
  /** For `Authorization: Bearer`; the same session is also set as a cookie. */
  token: z.string(),
  /** Echo it in X-CSRF-Token on unsafe requests that rely on the cookie. */
  csrfToken: z.string(),
});

export const loginAnswer = z.union([
  session,
  z.object({ mfaRequired: z.literal(true), ticket: z.string() }),
  z.object({ mfaEnrolmentRequired: z.literal(true), ticket: z.string() }),
]);

export const totpEnrolment = z.object({
  secret: z.string(),
  /** otpauth:// URI (Key Uri Format) */
  uri: z.string(),
  /** The same URI as a PNG `data:` URL. */
  qrCode: z.string(),
});

export const me = z.object({
  user: publicUser.extend({
    permissions: z
      .array(z.enum(PERMISSIONS))
      .describe(
        "What this request may do, sorted: the custom role's permissions, else the built-in " +
          "role's; with an API token, only those of its scopes the owner still holds",
      ),
  }),
});

export const sessionRow = z.object({
  id: uuid,
  userId: uuid,
  createdAt: timestamp,
  expiresAt: timestamp,
  lastSeenAt: timestamp.nullable(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  /** The session this request came with. */
  current: z.boolean(),
});

export const twoFactorStatus = z.object({
  enabled: z.boolean(),
  recoveryCodesLeft: z.number().int(),
});

export const apiToken = z.object({
  id: uuid,
  name: z.string(),
  scopes: z.array(z.string()),
  createdAt: timestamp,
  expiresAt: timestamp.nullable(),
  lastUsedAt: timestamp.nullable(),
  revokedAt: timestamp.nullable(),
});

export const user = z.object({
  id: uuid,
  username: z.string(),
  role: z.enum(ROLES),
  tenantId: uuid.nullable(),
  customRoleId: uuid.nullable(),
  disabled: z.boolean(),
  /** Branches the user is limited to; empty: all of the tenant's. */
  branchIds: z.array(uuid),
  /** Whether two-factor sign-in is on. */
  totpEnabled: z.boolean(),
  /** 'scim': made and managed by the tenant's directory; null: made in the hub. */
  provisionedBy: z.string().nullable(),
});

export const customRole = z.object({
  id: uuid,
  tenantId: uuid.nullable(),
  name: z.string(),
  permissions: z.array(z.enum(PERMISSIONS)),
});

export const builtInRoles = z.object({
  permissions: z.array(z.enum(PERMISSIONS)),
  roles: z.record(z.enum(ROLES), z.array(z.enum(PERMISSIONS))),
});

export const tenant = z.object({
  id: uuid,
  slug: z.string(),
  name: z.string(),
  createdAt: timestamp,
});

export const auditEntry = z.object({
  seq: z.number().int(),
  prevHash: z.string(),
  hash: z.string(),
  at: timestamp,
  actorId: uuid.nullable(),
  actor: z.string().nullable(),
  action: z.string(),
  target: z.string().nullable(),
  tenantId: uuid.nullable(),
  ip: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  /** When the entry passed its tenant's retention: its content is gone, hash and link stay. */
  prunedAt: timestamp.nullable().optional(),
});
