import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type TestHub } from '../../../test/support/hub.js';

/**
 * NUL (U+0000) in any text a client sends is a 400 that names the field, never a 500:
 * PostgreSQL refuses it even as a parameter. The CSV export answers 400 before it streams.
 */
let t: TestHub;
beforeAll(async () => {
  t = await startTestHub();
});
afterAll(() => t?.stop());

const refusedField = (res: { status: number; body: Record<string, unknown> }) => {
  const error = res.body.error as
    { code: string; message: string; details?: { field?: string } } | undefined;
  expect(error?.message).toMatch(/NUL/);
  return [res.status, error?.code, error?.details?.field];
};

describe('NUL in input', () => {
  it('in a search or a tag filter of the ticket list', async () => {
    expect(refusedField(await t.api.request('GET', '/api/v1/tickets?q=%00'))).toEqual([
      400,
      'BW_ERR_VALIDATION',
      'q',
    ]);
    expect(refusedField(await t.api.request('GET', '/api/v1/tickets?tag=a%00b'))).toEqual([
      400,
      'BW_ERR_VALIDATION',
      'tag',
    ]);
  });

  it('in a text body', async () => {
    const { branch } = await t.api.post<{ branch: { id: string } }>('/api/v1/branches', {
      slug: 'nul-office',
    });
    const res = await t.api.request('POST', '/api/v1/tickets', {
      branchId: branch.id,
      subject: 'printer',
      body: 'jammed\u0000 again',
    });
    expect(refusedField(res)).toEqual([400, 'BW_ERR_VALIDATION', 'body']);
    const named = await t.api.request('POST', '/api/v1/branches', { slug: 'x', name: 'a\u0000' });
    expect(refusedField(named)).toEqual([400, 'BW_ERR_VALIDATION', 'name']);
  });

  it('in the CSV export: a 400 before anything is streamed', async () => {
    const res = await t.api.request('GET', '/api/v1/tickets/export.csv?q=%00');
    expect(refusedField(res)).toEqual([400, 'BW_ERR_VALIDATION', 'q']);
    // The hub goes on answering the same request without NUL.
    expect((await t.api.request('GET', '/api/v1/tickets/export.csv?q=printer')).status).toBe(200);
  });
});
