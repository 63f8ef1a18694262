import { expect, it } from 'vitest';
import { startTestHub } from '../../../test/support/hub.js';

/**
 * The smallest work pool the configuration allows to share (two connections) still starts a
 * hub: the start-up jobs that each hold an advisory lock on one connection while their work
 * asks for another take turns (job-lock.ts, oneAtATime) instead of each holding one connection
 * and waiting for the other's.
 */
it('starts and answers with two connections for ingest, listeners and jobs', async () => {
  const t = await startTestHub({ BW_DB_WORK_POOL_SIZE: '2' });
  try {
    const branches = await t.api.get<{ items: unknown[] }>('/api/v1/branches');
    expect(branches.items).toEqual([]);
  } finally {
    await t.stop();
  }
}, 180_000);
