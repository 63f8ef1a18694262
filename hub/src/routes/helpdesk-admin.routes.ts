import { Router } from '@koa/router';
import { z } from 'zod';
import { WEEKDAYS } from '@branchwatch/sla';
import { notFound } from '../errors.js';
import { ASSIGNMENT_STRATEGIES } from '../helpdesk/assignment.js';
import { ESCALATION_ACTIONS } from '../helpdesk/sla-mapping.js';
import type { AppState } from '../middleware/session.js';
import { TICKET_PRIORITIES } from '../models/ticket.model.js';
import type { AvailabilityService } from '../services/availability.service.js';
import type { SlaService } from '../services/sla.service.js';
import type { SupportGroupService } from '../services/support-group.service.js';
import type { TicketConversationService } from '../services/ticket-conversation.service.js';
import { HELPDESK_ADMINS, requireRole } from './roles.js';
import { defineRoute } from './define.js';

const id = (value: string | undefined, what: string) => {
  if (!z.uuid().safeParse(value).success) {
    throw notFound('BW_ERR_NOT_FOUND', `${what} ${value} does not exist`);
  }
  return value!;
};

// PATCH bodies are the fields without defaults, all optional: a default must not overwrite.
const groupFields = {
  name: z.string().trim().min(1).max(100),
  assignment: z.enum(ASSIGNMENT_STRATEGIES),
  leadId: z.uuid().nullable(),
};
const group = z.strictObject({
  ...groupFields,
  assignment: groupFields.assignment.default('manual'),
  leadId: groupFields.leadId.default(null),
});
const groupPatch = z.strictObject(groupFields).partial();
const member = z.strictObject({ away: z.boolean().default(false) });
const canned = z.strictObject({
  name: z.string().trim().min(1).max(100),
  body: z.string().min(1).max(20_000),
});

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
        clocks: z
          .array(z.enum(['firstResponse', 'resolution']))
          .min(1)
          .optional(),
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

export interface HelpdeskAdminServices {
  groups: SupportGroupService;
  sla: SlaService;
  conversation: TicketConversationService;
  availability: AvailabilityService;
}

/** Support groups, canned replies, SLA calendars and policies, and link availability. */
export function helpdeskAdminRoutes(s: HelpdeskAdminServices): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/api/v1' });
  const admin = (ctx: { state: AppState }) => requireRole(ctx.state.user, HELPDESK_ADMINS);
  const tenant = (ctx: { state: AppState }) => ctx.state.user.tenantId;

  defineRoute(
    router,
    { method: 'get', path: '/support-groups', summary: 'The support groups', tags: ['helpdesk'] },
    async (ctx) => {
      ctx.body = { items: await s.groups.list(tenant(ctx)) };
    },
  );
  defineRoute(
    router,
    {
      method: 'get',
      path: '/support-groups/:id',
      summary: 'A support group with its members',
      tags: ['helpdesk'],
    },
    async (ctx) => {
      ctx.body = await s.groups.get(id(ctx.params.id, 'support group'), tenant(ctx));
    },
  );
  defineRoute(
    router,
    {
      method: 'post',
      path: '/support-groups',
      summary: 'Creates a support group',
      tags: ['helpdesk'],
      responses: { 201: { description: 'Created' } },
      body: group,
    },
    async (ctx, read) => {
      admin(ctx);
      ctx.status = 201;
      ctx.body = { group: await s.groups.create(tenant(ctx), read.body()) };
    },
  );
  defineRoute(
    router,
    {
      method: 'patch',
      path: '/support-groups/:id',
      summary: 'Changes a support group',
      tags: ['helpdesk'],
      body: groupPatch,
    },
    async (ctx, read) => {
      admin(ctx);
      const input = read.body();
      ctx.body = await s.groups.update(id(ctx.params.id, 'support group'), tenant(ctx), input);
    },
  );
  defineRoute(
    router,
    {
      method: 'delete',
      path: '/support-groups/:id',
      summary: 'Removes a support group',
      tags: ['helpdesk'],
      responses: { 204: { description: 'Done' } },
    },
    async (ctx) => {
      admin(ctx);
      await s.groups.remove(id(ctx.params.id, 'support group'), tenant(ctx));
      ctx.status = 204;
    },
  );
  // Members set their own `away` flag as well as admins setting it for them.
  defineRoute(
    router,
    {
      method: 'put',
      path: '/support-groups/:id/members/:userId',
      summary: 'Adds a member or sets them away',
      tags: ['helpdesk'],
      body: member,
    },
    async (ctx, read) => {
      const userId = id(ctx.params.userId, 'user');
      if (userId !== ctx.state.user.id) admin(ctx);
      const { away } = read.body();
      ctx.body = await s.groups.setMember(
        id(ctx.params.id, 'support group'),
        tenant(ctx),
        userId,
        away,
      );
    },
  );
  defineRoute(
    router,
    {
      method: 'delete',
      path: '/support-groups/:id/members/:userId',
      summary: 'Removes a member',
      tags: ['helpdesk'],
      responses: { 204: { description: 'Done' } },
    },
    async (ctx) => {
      admin(ctx);
      const groupId = id(ctx.params.id, 'support group');
      await s.groups.removeMember(groupId, tenant(ctx), id(ctx.params.userId, 'user'));
      ctx.status = 204;
    },
  );

  defineRoute(
    router,
    { method: 'get', path: '/canned-replies', summary: 'The canned replies', tags: ['helpdesk'] },
    async (ctx) => {
      ctx.body = { items: await s.conversation.cannedReplies(tenant(ctx)) };
    },
  );
  defineRoute(
    router,
    {
      method: 'post',
      path: '/canned-replies',
      summary: 'Creates a canned reply',
      tags: ['helpdesk'],
      responses: { 201: { description: 'Created' } },
      body: canned,
    },
    async (ctx, read) => {
      admin(ctx);
      const input = read.body();
      ctx.status = 201;
      ctx.body = {
        cannedReply: await s.conversation.createCannedReply(tenant(ctx), input.name, input.body),
      };
    },
  );
  defineRoute(
    router,
    {
      method: 'delete',
      path: '/canned-replies/:id',
      summary: 'Removes a canned reply',
      tags: ['helpdesk'],
      responses: { 204: { description: 'Done' } },
    },
    async (ctx) => {
      admin(ctx);
      await s.conversation.removeCannedReply(id(ctx.params.id, 'canned reply'), tenant(ctx));
      ctx.status = 204;
    },
  );

  defineRoute(
    router,
    {
      method: 'get',
      path: '/sla/calendars',
      summary: 'The SLA business calendars',
      tags: ['helpdesk'],
    },
    async (ctx) => {
      ctx.body = { items: await s.sla.calendars(tenant(ctx)) };
    },
  );
  defineRoute(
    router,
    {
      method: 'post',
      path: '/sla/calendars',
      summary: 'Creates an SLA calendar',
      tags: ['helpdesk'],
      responses: { 201: { description: 'Created' } },
      body: calendar,
    },
    async (ctx, read) => {
      admin(ctx);
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
      tags: ['helpdesk'],
      body: calendar.partial(),
    },
    async (ctx, read) => {
      admin(ctx);
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
      tags: ['helpdesk'],
      responses: { 204: { description: 'Done' } },
    },
    async (ctx) => {
      admin(ctx);
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
      tags: ['helpdesk'],
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
      tags: ['helpdesk'],
      responses: { 201: { description: 'Created' } },
      body: policy,
    },
    async (ctx, read) => {
      admin(ctx);
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
      tags: ['helpdesk'],
      body: policyPatch,
    },
    async (ctx, read) => {
      admin(ctx);
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
      tags: ['helpdesk'],
      responses: { 204: { description: 'Done' } },
    },
    async (ctx) => {
      admin(ctx);
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
      tags: ['helpdesk'],
      query: availabilityQuery,
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

  return router;
}
