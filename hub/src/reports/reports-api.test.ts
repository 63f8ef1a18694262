import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, startTestHub, type TestHub } from '../../../test/support/hub.js';

// The report routes through the real hub: validation, JSON and CSV (figures: report.service.test.ts).
let t: TestHub;
beforeAll(async () => {
  t = await startTestHub();
  const { branch } = await t.api.post<{ branch: { id: string } }>('/api/v1/branches', {
    slug: 'tabriz-1',
  });
  await t.api.post('/api/v1/tickets', { subject: 'Link down', body: 'x', branchId: branch.id });
});
afterAll(() => t?.stop());

const period = `from=${new Date(Date.now() - 3_600_000).toISOString()}&to=${new Date(Date.now() + 60_000).toISOString()}`;

describe('GET /api/v1/reports/tickets', () => {
  it('reports the tickets opened in the period, grouped by branch', async () => {
    const report = await t.api.get<{
      groupBy: string;
      rows: { label: string; tickets: number; acknowledged: number; slaCompliance: null }[];
      total: { tickets: number };
    }>(`/api/v1/reports/tickets?${period}&groupBy=branch`);
    expect(report.groupBy).toBe('branch');
    expect(report.rows).toEqual([
      expect.objectContaining({
        label: 'tabriz-1',
        tickets: 1,
        acknowledged: 0,
        slaCompliance: null,
      }),
    ]);
    expect(report.total.tickets).toBe(1);
  });

  it('exports CSV with a header and a total row', async () => {
    const res = await fetch(
      `${t.api.baseUrl}/api/v1/reports/tickets.csv?${period}&groupBy=category`,
      {
        headers: { authorization: `Bearer ${await token()}` },
      },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toContain('tickets-by-category.csv');
    const lines = (await res.text()).split('\r\n');
    expect(lines[0]).toMatch(/^group,key,label,tickets,acknowledged,mtta_seconds,/);
    expect(lines.slice(1, -1)).toEqual(['category,,,1,0,,0,,0,0,', 'category,,total,1,0,,0,,0,0,']);
  });

  it('refuses a period that ends before it starts, and an unknown grouping', async () => {
    const from = new Date().toISOString();
    const back = await t.api.request('GET', `/api/v1/reports/tickets?from=${from}&to=${from}`);
    expect(back.status).toBe(400);
    expect(back.body).toMatchObject({
      error: { code: 'BW_ERR_VALIDATION', details: { field: 'to' } },
    });
    const bad = await t.api.request('GET', `/api/v1/reports/tickets?${period}&groupBy=weather`);
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: { details: { field: 'groupBy' } } });
  });
});

async function token() {
  const res = await t.api.request('POST', '/api/v1/auth/login', {
    username: 'admin',
    password: ADMIN_PASSWORD,
  });
  return (res.body as { token: string }).token;
}
