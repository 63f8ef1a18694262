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
    // The byte-order mark Excel needs for UTF-8 (fetch's text() would drop it: read the bytes).
    const bytes = Buffer.from(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString('utf8').split('\r\n');
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

describe('GET /api/v1/reports/dashboard', () => {
  it('answers the dashboard for the period', async () => {
    const d = await t.api.get<{
      counts: { status: { key: string; tickets: number }[] };
      times: { person: { tickets: number } };
      satisfaction: null;
      availability: { branchName: string; checkId: null }[];
    }>(`/api/v1/reports/dashboard?${period}`);
    expect(d.counts.status).toEqual([{ key: 'open', label: null, tickets: 1 }]);
    expect(d.times.person.tickets).toBe(1);
    expect(d.satisfaction).toEqual({ ratings: 0, mean: null });
    expect(d.availability.map((a) => [a.branchName, a.checkId])).toContainEqual(['tabriz-1', null]);
  });

  it('exports CSV with a BOM and Excel, in the language asked', async () => {
    const headers = { authorization: `Bearer ${await token()}` };
    const csv = await fetch(
      `${t.api.baseUrl}/api/v1/reports/dashboard.csv?${period}&lang=fr&zone=Europe/Paris`,
      { headers },
    );
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toContain('helpdesk-report.csv');
    const bytes = Buffer.from(await csv.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.toString('utf8')).toContain('Tickets par état\r\nNom,Tickets\r\nouvert,1\r\n');
    const xlsx = await fetch(`${t.api.baseUrl}/api/v1/reports/dashboard.xlsx?${period}`, {
      headers,
    });
    expect(xlsx.headers.get('content-type')).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    // An .xlsx is a ZIP archive.
    expect(
      Buffer.from(await xlsx.arrayBuffer())
        .subarray(0, 2)
        .toString(),
    ).toBe('PK');
  });

  it('refuses an unknown language and time zone, and an unknown branch', async () => {
    const lang = await t.api.request('GET', `/api/v1/reports/dashboard.csv?${period}&lang=de`);
    expect(lang.status).toBe(400);
    expect(lang.body).toMatchObject({ error: { details: { field: 'lang' } } });
    const zone = await t.api.request(
      'GET',
      `/api/v1/reports/dashboard.csv?${period}&zone=Mars/Base`,
    );
    expect(zone.body).toMatchObject({ error: { details: { field: 'zone' } } });
    const branch = await t.api.request(
      'GET',
      `/api/v1/reports/dashboard?${period}&branch=00000000-0000-4000-8000-000000000000`,
    );
    expect(branch.status).toBe(404);
    expect(branch.body).toMatchObject({ error: { code: 'BW_ERR_BRANCH_NOT_FOUND' } });
  });
});

async function token() {
  const res = await t.api.request('POST', '/api/v1/auth/login', {
    username: 'admin',
    password: ADMIN_PASSWORD,
  });
  return (res.body as { token: string }).token;
}
