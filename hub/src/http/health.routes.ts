import { Router } from '@koa/router';
import { z } from 'zod';
import type { HubMetrics } from '../core/metrics.js';
import { defineRoute } from './define.js';
import type { AppState } from './request-state.js';

export interface Readiness {
  database(): Promise<boolean>;
  broker(): boolean;
}

const readyAnswer = z.object({
  status: z.enum(['ready', 'not ready']),
  database: z.boolean(),
  broker: z.boolean(),
});

/** Liveness, readiness and Prometheus metrics: outside /api, without login, for probes. */
export function healthRoutes(readiness: Readiness, metrics: HubMetrics): Router<AppState> {
  const router = new Router<AppState>();

  defineRoute(
    router,
    {
      method: 'get',
      path: '/healthz',
      summary: 'Liveness: the process answers',
      tags: ['health'],
      public: true,
      responses: {
        200: { description: 'Alive', schema: z.object({ status: z.literal('ok') }) },
      },
    },
    (ctx) => {
      ctx.body = { status: 'ok' };
    },
  );

  defineRoute(
    router,
    {
      method: 'get',
      path: '/readyz',
      summary: 'Readiness: the database and the broker are reachable',
      tags: ['health'],
      public: true,
      responses: {
        200: { description: 'Ready', schema: readyAnswer },
        503: { description: 'Not ready; says which part is down', schema: readyAnswer },
      },
    },
    async (ctx) => {
      const database = await readiness.database().catch(() => false);
      const broker = readiness.broker();
      ctx.status = database && broker ? 200 : 503;
      ctx.body = { status: ctx.status === 200 ? 'ready' : 'not ready', database, broker };
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
