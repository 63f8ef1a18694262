import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase, type Database } from '../db/database.js';
import { startTestHub, type TestHub } from '../../../test/support/hub.js';
import { ApiClient, waitFor } from '../../../test/support/http.js';

interface Job {
  name: string;
  kind: string;
  runs: number;
  failures: number;
  consecutiveFailures: number;
  lastError: string | null;
  lastSuccessAt: string | null;
}

/**
 * The hub watches itself: a job that really fails (the rollups' table of dirty hours taken
 * away under the running hub) shows in /metrics and the admin's health answer, opens one
 * ticket after three failed runs, and the ticket resolves itself once the table is back.
 */
describe('hub job alerts', () => {
  let t: TestHub;
  let db: Database;

  beforeAll(async () => {
    t = await startTestHub({ BW_ROLLUP_INTERVAL_SECONDS: '1', BW_ALERT_SWEEP_SECONDS: '1' });
    db = connectDatabase(t.databaseUrl, { min: 0, max: 2 });
  });

  afterAll(async () => {
    await db?.destroy();
    await t?.stop();
  });

  const rollups = async () => {
    const health = await t.api.get<{ jobs: Job[]; failuresBeforeAlert: number }>(
      '/api/v1/system/health',
    );
    return health.jobs.find((j) => j.name === 'rollups');
  };
  const jobTickets = () =>
    db('tickets')
      .where({ fingerprint: 'hub-job:rollups' })
      .orderBy('opened_at')
      .select('id', 'state', 'subject', 'tenant_id');

  it('lists every background job of the hub, none failing', async () => {
    const health = await t.api.get<{ jobs: Job[]; failuresBeforeAlert: number; outbox: [] }>(
      '/api/v1/system/health',
    );
    expect(health.jobs.map((j) => j.name)).toEqual(
      expect.arrayContaining([
        'rollups',
        'partitions',
        'alert-sweep',
        'sla-sweep',
        'notify-outbox',
      ]),
    );
    expect(health.failuresBeforeAlert).toBe(3);
    const started = await waitFor('a rollup run', async () => {
      const job = await rollups();
      return job && job.runs > 0 ? job : undefined;
    });
    expect(started).toMatchObject({ kind: 'hub', failures: 0, consecutiveFailures: 0 });
    expect(started.lastSuccessAt).not.toBeNull();
    expect(await jobTickets()).toEqual([]);
  });

  it('opens a ticket when the rollups keep failing and resolves it when they succeed again', async () => {
    await db.raw('ALTER TABLE rollup_dirty_hours RENAME TO rollup_dirty_hours_away');
    try {
      const failing = await waitFor('three failed rollup runs', async () => {
        const job = await rollups();
        return job && job.consecutiveFailures >= 3 ? job : undefined;
      });
      expect(failing.lastError).toContain('rollup_dirty_hours');
      const metrics = await (await fetch(`${t.api.baseUrl}/metrics`)).text();
      const line = metrics
        .split('\n')
        .find((l) => l.startsWith('bw_job_consecutive_failures{job="rollups",kind="hub"}'));
      expect(Number(line?.split(' ').at(-1))).toBeGreaterThanOrEqual(3);

      const [ticket] = await waitFor('the job ticket', async () => {
        const rows = await jobTickets();
        return rows.length > 0 ? rows : undefined;
      });
      expect(ticket).toMatchObject({ state: 'open', subject: 'Hub job rollups keeps failing' });
      const defaultTenant = await db('tenants').where({ slug: 'default' }).first('id');
      expect(ticket!.tenant_id).toBe(defaultTenant.id);
      const opened = await db('ticket_events').where({ ticket_id: ticket!.id, kind: 'opened' });
      expect(opened[0].body).toContain('failed 3 runs in a row');
      expect(opened[0].body).toContain('rollup_dirty_hours');
      // Failing on: still one ticket.
      await waitFor('more failed runs', async () => {
        const job = await rollups();
        return job && job.consecutiveFailures >= 6 ? job : undefined;
      });
      expect(await jobTickets()).toHaveLength(1);
    } finally {
      await db.raw('ALTER TABLE rollup_dirty_hours_away RENAME TO rollup_dirty_hours');
    }

    const back = await waitFor('a successful rollup run', async () => {
      const job = await rollups();
      return job && job.consecutiveFailures === 0 ? job : undefined;
    });
    expect(back.failures).toBeGreaterThanOrEqual(6);
    const [resolved] = await waitFor('the job ticket resolved', async () => {
      const rows = await jobTickets();
      return rows[0]?.state === 'resolved' ? rows : undefined;
    });
    const events = await db('ticket_events')
      .where({ ticket_id: resolved!.id })
      .orderBy('id')
      .select('kind', 'body');
    expect(events.map((e) => e.kind)).toEqual(['opened', 'recovered', 'resolved']);
    expect(events[1].body).toMatch(/^The job rollups succeeded again at /);
    expect(events[2].body).toContain('the job succeeded again');
  });

  it('is for whoever runs the hub: a tenant admin is refused', async () => {
    const { tenant } = await t.api.post<{ tenant: { id: string } }>('/api/v1/tenants', {
      slug: 'job-alerts-other',
      name: 'Other',
    });
    await t.api.post('/api/v1/users', {
      username: 'tenant-admin-jobs',
      password: 'a-long-enough-password',
      role: 'tenant_admin',
      tenantId: tenant.id,
    });
    const other = new ApiClient(t.api.baseUrl);
    await other.login('tenant-admin-jobs', 'a-long-enough-password');
    const res = await other.request('GET', '/api/v1/system/health');
    expect(res.status).toBe(403);
  });
});
