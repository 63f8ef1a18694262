import { Router } from '@koa/router';
import { z } from 'zod';
import type { HubMetrics } from '../core/metrics.js';
import { FAILURES_BEFORE_ALERT } from '../core/job-health.js';
import { defineRoute } from './define.js';
import { timestamp } from './schemas.js';
import type { AppState } from './request-state.js';

const job = z.object({
  name: z.string(),
  kind: z.enum(['hub', 'timescaledb']),
  procedure: z.string().nullable(),
  target: z.string().nullable(),
  runs: z.number().int(),
  failures: z.number().int(),
  consecutiveFailures: z.number().int(),
  failingSince: timestamp.nullable(),
  lastRunAt: timestamp.nullable(),
  lastSuccessAt: timestamp.nullable(),
  lastFailureAt: timestamp.nullable(),
  lastError: z.string().nullable(),
  lastDurationMs: z.number().nullable(),
  nextRunAt: timestamp.nullable(),
});

const outboxChannel = z.object({
  channel: z.string(),
  pending: z.number().int(),
  retrying: z.number().int(),
  dead: z.number().int(),
  oldestWaitingAt: timestamp.nullable(),
});

const hubHealth = z.object({
  jobs: z.array(job),
  /** Failed runs in a row after which a job's ticket opens. */
  failuresBeforeAlert: z.number().int(),
  /** Job lists that could not be read now (TimescaleDB's, while its database is down). */
  unreadable: z.array(z.string()),
  outbox: z.array(outboxChannel),
});

/**
 * The hub's own background work for the admin health page (docs/hub.md "The hub watches
 * itself"): the same figures as bw_job_* and bw_notify_outbox* in /metrics.
 */
export function hubHealthRoutes(metrics: HubMetrics): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/api/v1' });
  defineRoute(
    router,
    {
      method: 'get',
      path: '/system/health',
      summary: "The hub's background jobs, TimescaleDB's jobs and the notification outbox",
      tags: ['health'],
      responses: { 200: { description: 'Jobs and outbox now', schema: hubHealth } },
    },
    async (ctx) => {
      const { jobs, unreadable } = await metrics.jobs.list();
      const outbox = await metrics.outbox().catch((err: unknown) => {
        unreadable.push(err instanceof Error ? err.message : String(err));
        return [];
      });
      ctx.body = {
        jobs,
        failuresBeforeAlert: FAILURES_BEFORE_ALERT,
        unreadable,
        outbox: outbox.map(({ channel, pending, retrying, dead, oldestWaitingAt }) => ({
          ...{ channel, pending, retrying, dead, oldestWaitingAt },
        })),
      };
    },
  );
  return router;
}
