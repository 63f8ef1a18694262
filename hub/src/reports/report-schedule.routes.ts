import { Router } from '@koa/router';
import { z } from 'zod';
import { defineRoute } from '../http/define.js';
import { pathId as id } from '../http/path-id.js';
import { itemsOf, noBody } from '../http/schemas.js';
import type { AppState } from '../http/request-state.js';
import {
  schedule,
  scheduleAnswer,
  scheduleBody,
  schedulePatch,
  type ReportSchedules,
} from './report-schedules.js';

const idParams = z.object({ id: z.uuid() });
const tags = ['reports'];
const what = 'report schedule';

/** Scheduled reports by mail (docs/reports.md "Scheduled reports"). */
export function reportScheduleRoutes(s: ReportSchedules): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/api/v1/reports' });
  defineRoute(
    router,
    {
      method: 'get',
      path: '/schedules',
      summary: 'The scheduled reports',
      tags,
      responses: { 200: { description: 'The schedules', schema: itemsOf(schedule) } },
    },
    async (ctx) => {
      ctx.body = { items: await s.listAnswered(ctx.state.user) };
    },
  );
  defineRoute(
    router,
    {
      method: 'get',
      path: '/schedules/people',
      summary: 'The people a report may be mailed to: those who gave a mail address',
      tags,
      query: z.strictObject({ tenant: z.uuid().optional() }),
      responses: {
        200: {
          description: 'The people, by name',
          schema: itemsOf(z.object({ id: z.string(), username: z.string(), email: z.string() })),
        },
      },
    },
    async (ctx, read) => {
      ctx.body = { items: await s.people(ctx.state.user, read.query().tenant) };
    },
  );
  defineRoute(
    router,
    {
      method: 'post',
      path: '/schedules',
      summary: 'Schedules a report by mail',
      tags,
      body: scheduleBody,
      responses: { 201: { description: 'Created', schema: z.object({ schedule }) } },
    },
    async (ctx, read) => {
      ctx.body = { schedule: scheduleAnswer(await s.create(ctx.state.user, read.body())) };
      ctx.status = 201;
    },
  );
  defineRoute(
    router,
    {
      method: 'patch',
      path: '/schedules/:id',
      summary: 'Changes a scheduled report',
      tags,
      params: idParams,
      body: schedulePatch,
      responses: { 200: { description: 'Changed', schema: z.object({ schedule }) } },
    },
    async (ctx, read) => {
      const changed = await s.update(id(ctx.params.id, what), ctx.state.user, read.body());
      ctx.body = { schedule: scheduleAnswer(changed) };
    },
  );
  defineRoute(
    router,
    {
      method: 'delete',
      path: '/schedules/:id',
      summary: 'Deletes a scheduled report',
      tags,
      params: idParams,
      responses: { 204: { description: 'Deleted' } },
    },
    async (ctx) => {
      await s.remove(id(ctx.params.id, what), ctx.state.user);
      ctx.status = 204;
    },
  );
  defineRoute(
    router,
    {
      method: 'post',
      path: '/schedules/:id/send',
      summary: 'Sends a scheduled report now (the period so far) to try it',
      tags,
      params: idParams,
      body: noBody,
      responses: {
        200: {
          description: 'Queued for mail',
          schema: z.object({ queued: z.number(), from: z.string(), to: z.string() }),
        },
      },
    },
    async (ctx, read) => {
      read.body();
      ctx.body = await s.sendNow(id(ctx.params.id, what), ctx.state.user);
    },
  );
  return router;
}
