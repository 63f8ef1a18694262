import { Router } from '@koa/router';
import type { HubMetrics } from '../metrics.js';

export interface Readiness {
  database(): Promise<boolean>;
  broker(): boolean;
}

/** Liveness, readiness and Prometheus metrics: outside /api, without login, for probes. */
export function healthRoutes(readiness: Readiness, metrics: HubMetrics): Router {
  const router = new Router();

  router.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok' };
  });

  router.get('/readyz', async (ctx) => {
    const database = await readiness.database().catch(() => false);
    const broker = readiness.broker();
    ctx.status = database && broker ? 200 : 503;
    ctx.body = { status: ctx.status === 200 ? 'ready' : 'not ready', database, broker };
  });

  router.get('/metrics', async (ctx) => {
    ctx.type = metrics.registry.contentType;
    ctx.body = await metrics.registry.metrics();
  });

  return router;
}
