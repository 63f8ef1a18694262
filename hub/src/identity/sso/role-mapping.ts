import type { Role } from '@branchwatch/api';
import type { MappingMode, MappingRule } from './identity-provider.repository.js';

/** A person's role and branch scope (empty branchIds: the whole tenant). */
export interface Grant {
  role: Role;
  customRoleId: string | null;
  branchIds: string[];
}

/** What a login maps to: a grant, or nothing (no rule matched and no default role). */
export type Mapped = { grant: Grant; matched: MappingRule[] } | { grant: null; matched: [] };

/** The strings a claim holds: a string, or the strings of an array. */
export function claimValues(claims: Record<string, unknown>, name: string): string[] {
  const value = claims[name];
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

/**
 * The grant the claims map to: the role of the first matching rule (rules are in order), the
 * branches of all matching rules together (any rule without branches: the whole tenant).
 */
export function mapClaims(
  claims: Record<string, unknown>,
  rules: readonly MappingRule[],
  defaultRole: string | null,
): Mapped {
  const matched = rules.filter((r) => claimValues(claims, r.claim).includes(r.value));
  const first = matched[0];
  if (!first) {
    return defaultRole
      ? { grant: { role: defaultRole as Role, customRoleId: null, branchIds: [] }, matched: [] }
      : { grant: null, matched: [] };
  }
  const whole = matched.some((r) => r.branchIds === null || r.branchIds.length === 0);
  const branchIds = whole ? [] : [...new Set(matched.flatMap((r) => r.branchIds ?? []))].sort();
  return {
    grant: {
      // A rule with a custom role keeps the least built-in role underneath it.
      role: (first.role ?? 'viewer') as Role,
      customRoleId: first.customRoleId,
      branchIds,
    },
    matched,
  };
}

const RANK: Record<string, number> = {
  viewer: 1,
  support_agent: 2,
  noc_operator: 3,
  tenant_admin: 4,
};

/**
 * The grant after a login, by the provider's mode: `replace` takes the mapped grant (null when
 * nothing maps: the person loses access); `add_only` never takes away (the higher built-in
 * role, the union of branches); `first_login` maps only when the account is new.
 */
export function applyMode(
  mode: MappingMode,
  current: Grant | null,
  mapped: Grant | null,
): Grant | null {
  if (!current) return mapped;
  if (mode === 'first_login') return current;
  if (mode === 'replace') return mapped;
  if (!mapped) return current;
  const higher =
    current.customRoleId === null &&
    mapped.customRoleId === null &&
    (RANK[mapped.role] ?? 0) > (RANK[current.role] ?? 0);
  const whole = current.branchIds.length === 0 || mapped.branchIds.length === 0;
  return {
    role: higher ? mapped.role : current.role,
    customRoleId: current.customRoleId,
    branchIds: whole ? [] : [...new Set([...current.branchIds, ...mapped.branchIds])].sort(),
  };
}

export const sameGrant = (a: Grant | null, b: Grant | null) =>
  JSON.stringify(a) === JSON.stringify(b);

/** Whether the provider's answer proves MFA: an `amr` value or the `acr` among those trusted. */
export function mfaProven(claims: Record<string, unknown>, trusted: readonly string[]): boolean {
  const values = trusted.length ? trusted : DEFAULT_MFA_VALUES;
  return [...claimValues(claims, 'amr'), ...claimValues(claims, 'acr')].some((v) =>
    values.includes(v),
  );
}

/** RFC 8176 methods that are a second factor or multi-factor in themselves. */
export const DEFAULT_MFA_VALUES = ['mfa', 'otp', 'hwk', 'swk', 'sc', 'fido'];
