import { Router } from '@koa/router';
import { z } from 'zod';
import { apiError, notFound } from '../http/errors.js';
import type { SeriesService } from './series.service.js';
import { defineRoute } from '../http/define.js';
import { heartbeatsAnswer, seriesAnswer } from './series.schemas.js';
import type { AppState } from '../http/request-state.js';

const query = z.strictObject({
  from: z.iso.datetime({ offset: true }),
  to: z.iso.datetime({ offset: true }).optional(),
  resolution: z.enum(['raw', '1m', '1h', '1d']).optional(),
});

/** A check's measurements over a time range, at a resolution that keeps the chart fast. */
export function seriesRoutes(series: SeriesService): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/api/v1' });

  defineRoute(
    router,
    {
      method: 'get',
      path: '/checks/:id/series',
      summary: "A check's measurements over a time range",
      tags: ['series'],
      params: z.object({ id: z.uuid() }),
      query,
      responses: {
        200: { description: 'The series at the chosen resolution', schema: seriesAnswer },
      },
    },
    async (ctx, read) => {
      if (!z.uuid().safeParse(ctx.params.id).success) {
        throw notFound('BW_ERR_NOT_FOUND', `check ${ctx.params.id} does not exist`);
      }
      const q = read.query();
      const from = new Date(q.from);
      const to = q.to ? new Date(q.to) : new Date();
      if (to <= from) {
        throw apiError(400, 'BW_ERR_VALIDATION', 'to: must be after from', { field: 'to' });
      }
      ctx.body = await series.seriesJson(
        ctx.params.id!,
        from,
        to,
        ctx.state.user.tenantId,
        q.resolution,
      );
      ctx.type = 'application/json';
    },
  );

  defineRoute(
    router,
    {
      method: 'get',
      path: '/heartbeats',
      summary: "The last rounds of every check (the overview's heartbeat bars)",
      tags: ['series'],
      responses: { 200: { description: 'Per check, its last rounds', schema: heartbeatsAnswer } },
    },
    async (ctx) => {
      ctx.body = await series.heartbeats(ctx.state.user.tenantId);
    },
  );

  return router;
}
