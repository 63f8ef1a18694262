import { describe, expect, it } from 'vitest';
import type { MappingRule } from './identity-provider.repository.js';
import { applyMode, mapClaims, mfaProven, type Grant } from './role-mapping.js';

const HQ = '00000000-0000-4000-8000-000000000001';
const SHOP = '00000000-0000-4000-8000-000000000002';
const rule = (value: string, role: string, branchIds: string[] | null = null): MappingRule => ({
  claim: 'groups',
  value,
  role,
  customRoleId: null,
  branchIds,
});
const RULES = [
  rule('bw-admins', 'tenant_admin'),
  rule('noc-hq', 'noc_operator', [HQ]),
  rule('desk-shop', 'support_agent', [SHOP]),
];

describe('mapping claims to a role and branches', () => {
  it('takes the role of the first matching rule and the branches of all of them', () => {
    expect(mapClaims({ groups: ['desk-shop', 'noc-hq'] }, RULES, null).grant).toEqual({
      role: 'noc_operator',
      customRoleId: null,
      branchIds: [HQ, SHOP].sort(),
    });
    // A matching rule without branches gives the whole tenant.
    expect(mapClaims({ groups: ['noc-hq', 'bw-admins'] }, RULES, null).grant).toEqual({
      role: 'tenant_admin',
      customRoleId: null,
      branchIds: [],
    });
    // A single string counts as one value.
    expect(mapClaims({ groups: 'desk-shop' }, RULES, null).grant?.role).toBe('support_agent');
  });

  it('falls back to the default role, or maps to nothing', () => {
    expect(mapClaims({ groups: ['other'] }, RULES, 'viewer').grant).toEqual({
      role: 'viewer',
      customRoleId: null,
      branchIds: [],
    });
    expect(mapClaims({ groups: ['other'] }, RULES, null).grant).toBeNull();
    expect(mapClaims({}, RULES, null).grant).toBeNull();
  });
});

describe('mapping modes at a later login', () => {
  const current: Grant = { role: 'noc_operator', customRoleId: null, branchIds: [HQ] };
  const lower: Grant = { role: 'support_agent', customRoleId: null, branchIds: [SHOP] };

  it('replace takes the new grant, and nothing when nothing maps (access ends)', () => {
    expect(applyMode('replace', current, lower)).toEqual(lower);
    expect(applyMode('replace', current, null)).toBeNull();
  });

  it('add_only never takes away: the higher role, branches together', () => {
    expect(applyMode('add_only', current, lower)).toEqual({
      role: 'noc_operator',
      customRoleId: null,
      branchIds: [HQ, SHOP].sort(),
    });
    expect(applyMode('add_only', lower, { ...current, branchIds: [] })).toEqual({
      role: 'noc_operator',
      customRoleId: null,
      branchIds: [],
    });
    expect(applyMode('add_only', current, null)).toEqual(current);
  });

  it('first_login maps a new account only', () => {
    expect(applyMode('first_login', null, lower)).toEqual(lower);
    expect(applyMode('first_login', current, lower)).toEqual(current);
    expect(applyMode('first_login', current, null)).toEqual(current);
  });
});

describe('MFA proven by the provider', () => {
  it('reads amr and acr against the trusted values (RFC 8176 methods by default)', () => {
    expect(mfaProven({ amr: ['pwd', 'otp'] }, [])).toBe(true);
    expect(mfaProven({ amr: ['pwd'] }, [])).toBe(false);
    expect(mfaProven({}, [])).toBe(false);
    const entra = ['http://schemas.microsoft.com/claims/multipleauthn'];
    expect(mfaProven({ acr: entra[0] }, entra)).toBe(true);
    expect(mfaProven({ amr: ['mfa'] }, entra)).toBe(false);
  });
});
