import { Router } from '@koa/router';
import { z } from 'zod';
import type { HubMetrics } from '../core/metrics.js';
import { defineRoute } from './define.js';
import type { AppState } from './request-state.js';

export interface Readiness {
  database(): Promise<boolean>;
  broker(): boolean;
  /**
   * What keeps the hub from recovering by itself (empty: nothing): a supervisor that sees
   * /healthz fail should restart the process.
   */
  problems?(): string[];
  /** Whether the malware scanner (clamd) answers; undefined when none is configured. */
  scanner?(): Promise<boolean | undefined>;
}

const readyAnswer = z.object({
  status: z.enum(['ready', 'not ready']),
  database: z.boolean(),
  broker: z.boolean(),
  /**
   * Only when a scanner is configured: whether clamd answers. It does not make the hub unready
   * (everything but attaching files works without it); uploads are refused while it is down.
   */
  scanner: z.boolean().optional(),
});

/** Liveness, readiness and Prometheus metrics: outside /api, without login, for probes. */
export function healthRoutes(readiness: Readiness, metrics: HubMetrics): Router<AppState> {
  const router = new Router<AppState>();

  const liveAnswer = z.object({
    status: z.enum(['ok', 'failing']),
    problems: z.array(z.string()).optional(),
  });
  defineRoute(
    router,
    {
      method: 'get',
      path: '/healthz',
      summary: 'Liveness: the hub can go on by itself (else a supervisor should restart it)',
      tags: ['health'],
      public: true,
      responses: {
        200: { description: 'Alive', schema: liveAnswer },
        503: {
          description: 'The hub cannot recover by itself; says why. Restart the process.',
          schema: liveAnswer,
        },
      },
    },
    (ctx) => {
      const problems = readiness.problems?.() ?? [];
      ctx.status = problems.length === 0 ? 200 : 503;
      ctx.body = problems.length === 0 ? { status: 'ok' } : { status: 'failing', problems };
    },
  );

  defineRoute(
    router,
    {
      method: 'get',
      path: '/readyz',
      summary: 'Readiness: the database and the broker are reachable (and whether clamd answers)',
      tags: ['health'],
      public: true,
      responses: {
        200: { description: 'Ready', schema: readyAnswer },
        503: { description: 'Not ready; says which part is down', schema: readyAnswer },
      },
    },
    async (ctx) => {
      const [database, scanner] = await Promise.all([
        readiness.database().catch(() => false),
        readiness.scanner?.().catch(() => false),
      ]);
      const broker = readiness.broker();
      ctx.status = database && broker ? 200 : 503;
      ctx.body = {
        status: ctx.status === 200 ? 'ready' : 'not ready',
        database,
        broker,
        ...(scanner === undefined ? {} : { scanner }),
      };
    },
  );

  defineRoute(
    router,
    {
      method: 'get',
      path: '/metrics',
      summary: 'Prometheus metrics',
      tags: ['health'],
      public: true,
      responses: {
        200: {
          description: 'Prometheus text exposition format 0.0.4',
          contentType: 'text/plain',
          schema: z.string(),
        },
      },
    },
    async (ctx) => {
      ctx.type = metrics.registry.contentType;
      ctx.body = await metrics.registry.metrics();
    },
  );

  return router;
}
