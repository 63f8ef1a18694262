import { describe, expect, it } from 'vitest';
import { policyResolver, selectPolicy, type SlaPolicy, type TicketFacts } from './sla-policy.js';

const base = { calendar: 'office', warningShare: 0.8, escalations: [] } as const;
const policies: SlaPolicy[] = [
  {
    ...base,
    id: 'acme-urgent',
    targets: { resolution: 1 },
    conditions: { tenant: ['acme'], priority: ['urgent'] },
  },
  {
    ...base,
    id: 'tehran-branches',
    targets: { resolution: 2 },
    conditions: { branch: ['thr-1', 'thr-2'] },
  },
  { ...base, id: 'camera', targets: { resolution: 3 }, conditions: { category: ['camera'] } },
  { ...base, id: 'default', targets: { resolution: 4 } },
];
const ticket: TicketFacts = { tenant: 'acme', branch: 'thr-1', priority: 'normal', category: null };

describe('selectPolicy', () => {
  it('takes the first policy whose conditions all match', () => {
    expect(selectPolicy(policies, { ...ticket, priority: 'urgent' })?.id).toBe('acme-urgent');
    expect(selectPolicy(policies, ticket)?.id).toBe('tehran-branches');
    expect(selectPolicy(policies, { ...ticket, tenant: 'globex', priority: 'urgent' })?.id).toBe(
      'tehran-branches',
    );
  });

  it('never matches a missing value to a condition on it', () => {
    expect(selectPolicy(policies, { ...ticket, branch: null })?.id).toBe('default');
    expect(selectPolicy(policies, { ...ticket, branch: null, category: 'camera' })?.id).toBe(
      'camera',
    );
  });

  it('finds nothing when nothing matches', () => {
    expect(selectPolicy(policies.slice(0, 3), { ...ticket, branch: 'alg-1' })).toBeUndefined();
  });
});

describe('policyResolver', () => {
  it('matches by conditions and finds by id', () => {
    const resolver = policyResolver(policies);
    expect(resolver.match(ticket)?.id).toBe('tehran-branches');
    expect(resolver.byId('camera')?.targets.resolution).toBe(3);
    expect(resolver.byId('gone')).toBeUndefined();
  });

  it('rejects policies that cannot be computed', () => {
    expect(() => policyResolver([{ ...base, id: 'x', targets: { resolution: 0 } }])).toThrow(
      'SLA policy "x": resolution target must be a positive number of ms',
    );
    expect(() => policyResolver([{ ...base, id: 'x', targets: {}, warningShare: 1.2 }])).toThrow(
      'SLA policy "x": warningShare must be in (0, 1]',
    );
    expect(() =>
      policyResolver([
        { ...base, id: 'x', targets: {}, escalations: [{ name: 'notify', offsetMs: NaN }] },
      ]),
    ).toThrow('SLA policy "x": escalation "notify" needs a finite offsetMs');
    expect(() => policyResolver([policies[3]!, policies[3]!])).toThrow(
      'SLA policy ids must be unique',
    );
  });
});
