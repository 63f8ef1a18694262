import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type TestHub } from '../../../test/support/hub.js';

/** Alert rules as the API takes them: thresholds only on fields the check type measures. */

let t: TestHub;
let branchId: string;

beforeAll(async () => {
  t = await startTestHub();
  ({
    branch: { id: branchId },
  } = await t.api.post<{ branch: { id: string } }>('/api/v1/branches', { slug: 'hq' }));
});
afterAll(async () => {
  await t?.stop();
});

const put = (checkType: string, threshold: Record<string, unknown>) =>
  t.api.request('PUT', '/api/v1/alerts/rules', {
    scope: 'branch',
    scopeId: branchId,
    checkType,
    thresholds: [threshold],
  });

describe('alert rule thresholds', () => {
  it('refuses a field the check type does not measure, naming it', async () => {
    const res = await put('icmp', { field: 'nonsense', op: '>', value: 1 });
    expect(res.status).toBe(400);
    const { error } = res.body as unknown as {
      error: { code: string; message: string; details: { field: string } };
    };
    expect(error.code).toBe('BW_ERR_VALIDATION');
    expect(error.details.field).toMatch(/^thresholds.*0.*field$/);
    expect(error.message).toContain('icmp checks do not measure nonsense');
    expect(error.message).toContain('loss');
  });

  it('refuses a threshold without a value, naming the value', async () => {
    const res = await put('icmp', { field: 'loss', op: '>' });
    expect(res.status).toBe(400);
    const { error } = res.body as unknown as { error: { details: { field: string } } };
    expect(error.details.field).toMatch(/^thresholds.*0.*value$/);
  });

  it('takes a field of the type, and any type’s field for every type', async () => {
    expect((await put('http', { field: 'certDaysLeft', op: '<', value: 14 })).status).toBe(200);
    expect((await put('*', { field: 'median', op: '>', value: 200 })).status).toBe(200);
    expect((await put('*', { field: 'nonsense', op: '>', value: 1 })).status).toBe(400);
    const { items } = await t.api.get<{ items: { checkType: string }[] }>('/api/v1/alerts/rules');
    expect(items.map((r) => r.checkType).sort()).toEqual(['*', 'http']);
  });
});
