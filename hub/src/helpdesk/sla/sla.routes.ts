import { LANGUAGES, SLA_CLOCKS, TICKET_PRIORITIES } from '@branchwatch/api';
import type { Router } from '@koa/router';
import { z } from 'zod';
import { WEEKDAYS } from '@branchwatch/sla';
import { ESCALATION_ACTIONS } from './sla-mapping.js';
import { defineRoute } from '../../http/define.js';
import { pathId as id } from '../../http/path-id.js';
import { itemsOf } from '../../http/schemas.js';
import { branchAvailability, slaCalendar, slaPolicy } from '../helpdesk.schemas.js';
import type { AppState } from '../../http/request-state.js';
import type { AvailabilityService } from './availability.service.js';
import type { SlaService } from './sla.service.js';

const hours = z.array(z.string().regex(/^\d{2}:\d{2}-\d{2}:\d{2}$/, 'must be HH:mm-HH:mm'));
const holidayExtras = { name: z.string().max(100).optional(), closed: hours.optional() };
const holiday = z.union([
  z.strictObject({ date: z.string(), ...holidayExtras }),
  z.strictObject({ jalali: z.string(), ...holidayExtras }),
  z.strictObject({ annual: z.string(), ...holidayExtras }),
  z.strictObject({ jalaliAnnual: z.string(), ...holidayExtras }),
]);
const calendar = z.strictObject({
  name: z.string().trim().min(1).max(100),
  spec: z.strictObject({
    zone: z.string().min(1),
    week: z.partialRecord(z.enum(WEEKDAYS), hours),
    holidays: z.array(holiday).max(1000).default([]),
  }),
});
const ms = z.number().int().positive();
const policyFields = {
  name: z.string().trim().min(1).max(100),
  position: z.number().int().min(0),
  calendarId: z.uuid(),
  firstResponseMs: ms.nullable(),
  resolutionMs: ms.nullable(),
  warningShare: z.number().gt(0).lte(1),
  escalations: z
    .array(
      z.strictObject({
        name: z.string().trim().min(1).max(100),
        offsetMs: z.number().int(),
        action: z.enum(ESCALATION_ACTIONS),
        clocks: z.array(z.enum(SLA_CLOCKS)).min(1).optional(),
      }),
    )
    .max(20),
  conditions: z.strictObject({
    priority: z.array(z.enum(TICKET_PRIORITIES)).optional(),
    category: z.array(z.string()).optional(),
    branch: z.array(z.uuid()).optional(),
    tenant: z.array(z.uuid()).optional(),
  }),
};
const policy = z.strictObject({
  ...policyFields,
  position: policyFields.position.default(0),
  firstResponseMs: policyFields.firstResponseMs.default(null),
  resolutionMs: policyFields.resolutionMs.default(null),
  warningShare: policyFields.warningShare.default(0.8),
  escalations: policyFields.escalations.default([]),
  conditions: policyFields.conditions.default({}),
});
const policyPatch = z.strictObject(policyFields).partial();
const availabilityQuery = z.strictObject({
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be YYYY-MM'),
  target: z.coerce.number().min(0).max(100).default(99.5),
  check: z.string().optional(),
});

const defaultsQuery = z.strictObject({
  zone: z.string().min(1).max(64).optional(),
  language: z.enum(LANGUAGES).default('en'),
});
const calendarDefaultsAnswer = z.object({
  zone: z.string(),
  country: z.string().nullable().describe('ISO 3166 code of the zone, null for UTC and the like'),
  week: z.partialRecord(z.enum(WEEKDAYS), z.array(z.string())),
  holidays: z.array(z.object({ date: z.string(), name: z.string() })),
});

const idParams = z.object({ id: z.uuid() });
const tags = ['helpdesk'];

/** SLA calendars and policies (docs/sla.md), and a branch's link availability. */
/** What the SLA routes call; the helpdesk admin router passes its services. */
export interface SlaRouteServices {
  sla: SlaService;
  availability: AvailabilityService;
}

export function slaRoutes(router: Router<AppState>, s: SlaRouteServices): void {
  const tenant = (ctx: { state: AppState }) => ctx.state.user.tenantId;

  defineRoute(
    router,
    {
      method: 'get',
      path: '/sla/calendars',
      summary: 'The SLA business calendars',
      tags,
      responses: { 200: { description: 'The calendars', schema: itemsOf(slaCalendar) } },
    },
    async (ctx) => {
      ctx.body = { items: await s.sla.calendars(tenant(ctx)) };
    },
  );
  defineRoute(
    router,
    {
      method: 'get',
      path: '/sla/calendar-defaults',
      summary:
        "What a new calendar starts from: the zone (given, else the one most of the tenant's branches keep), its country's working week and public holidays",
      tags,
      query: defaultsQuery,
      responses: { 200: { description: 'The defaults', schema: calendarDefaultsAnswer } },
    },
    async (ctx, read) => {
      const q = read.query();
      ctx.body = await s.sla.calendarDefaults(tenant(ctx), q.zone, q.language);
    },
  );
  defineRoute(
    router,
    {
      method: 'post',
      path: '/sla/calendars',
      summary: 'Creates an SLA calendar',
      tags,
      responses: {
        201: { description: 'Created', schema: z.object({ calendar: slaCalendar }) },
      },
      body: calendar,
    },
    async (ctx, read) => {
      const input = read.body();
      ctx.status = 201;
      ctx.body = { calendar: await s.sla.createCalendar({ tenantId: tenant(ctx), ...input }) };
    },
  );
  defineRoute(
    router,
    {
      method: 'patch',
      path: '/sla/calendars/:id',
      summary: 'Changes an SLA calendar',
      tags,
      params: idParams,
      body: calendar.partial(),
      responses: {
        200: { description: 'The calendar', schema: z.object({ calendar: slaCalendar }) },
      },
    },
    async (ctx, read) => {
      const input = read.body();
      ctx.body = {
        calendar: await s.sla.updateCalendar(id(ctx.params.id, 'SLA calendar'), tenant(ctx), input),
      };
    },
  );
  defineRoute(
    router,
    {
      method: 'delete',
      path: '/sla/calendars/:id',
      summary: 'Removes an SLA calendar not used by a policy',
      tags,
      params: idParams,
      responses: { 204: { description: 'Done' } },
    },
    async (ctx) => {
      await s.sla.removeCalendar(id(ctx.params.id, 'SLA calendar'), tenant(ctx));
      ctx.status = 204;
    },
  );

  defineRoute(
    router,
    {
      method: 'get',
      path: '/sla/policies',
      summary: 'The SLA policies, in the order they are tried',
      tags,
      responses: { 200: { description: 'The policies', schema: itemsOf(slaPolicy) } },
    },
    async (ctx) => {
      ctx.body = { items: await s.sla.policies(tenant(ctx)) };
    },
  );
  defineRoute(
    router,
    {
      method: 'post',
      path: '/sla/policies',
      summary: 'Creates an SLA policy',
      tags,
      responses: {
        201: { description: 'Created', schema: z.object({ policy: slaPolicy }) },
      },
      body: policy,
    },
    async (ctx, read) => {
      const input = read.body();
      ctx.status = 201;
      ctx.body = { policy: await s.sla.createPolicy({ tenantId: tenant(ctx), ...input }) };
    },
  );
  defineRoute(
    router,
    {
      method: 'patch',
      path: '/sla/policies/:id',
      summary: 'Changes an SLA policy',
      tags,
      params: idParams,
      body: policyPatch,
      responses: {
        200: { description: 'The policy', schema: z.object({ policy: slaPolicy }) },
      },
    },
    async (ctx, read) => {
      const input = read.body();
      ctx.body = {
        policy: await s.sla.updatePolicy(id(ctx.params.id, 'SLA policy'), tenant(ctx), input),
      };
    },
  );
  defineRoute(
    router,
    {
      method: 'delete',
      path: '/sla/policies/:id',
      summary: 'Removes an SLA policy',
      tags,
      params: idParams,
      responses: { 204: { description: 'Done' } },
    },
    async (ctx) => {
      await s.sla.removePolicy(id(ctx.params.id, 'SLA policy'), tenant(ctx));
      ctx.status = 204;
    },
  );

  defineRoute(
    router,
    {
      method: 'get',
      path: '/branches/:id/availability',
      summary: "A branch's link availability over a period",
      tags,
      params: idParams,
      query: availabilityQuery,
      responses: {
        200: {
          description: "Each check's availability against the target in that month",
          schema: branchAvailability,
        },
      },
    },
    async (ctx, read) => {
      const q = read.query();
      ctx.body = await s.availability.monthly(
        id(ctx.params.id, 'branch'),
        tenant(ctx),
        q.month,
        q.target,
        q.check,
      );
    },
  );
}
