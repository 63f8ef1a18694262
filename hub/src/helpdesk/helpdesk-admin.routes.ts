import { Router } from '@koa/router';
import { z } from 'zod';
import { apiError } from '../http/errors.js';
import { ASSIGNMENT_STRATEGIES } from './assignment.js';
import type { AvailabilityService } from './sla/availability.service.js';
import type { SlaService } from './sla/sla.service.js';
import type { SupportGroupService } from './support-group.service.js';
import type { TicketConversationService } from './ticket-conversation.service.js';
import { defineRoute } from '../http/define.js';
import { pathId as id } from '../http/path-id.js';
import { itemsOf } from '../http/schemas.js';
import {
  assignee,
  cannedReply,
  groupWithMembers,
  helpdeskSettings,
  supportGroup,
} from './helpdesk.schemas.js';
import type { HelpdeskSettingsService } from './helpdesk-settings.service.js';
import { LANGUAGES } from '@branchwatch/api';
import { slaRoutes, type SlaRouteServices } from './sla/sla.routes.js';
import type { AppState } from '../http/request-state.js';

// PATCH bodies are the fields without defaults, all optional: a default must not overwrite.
const groupFields = {
  name: z.string().trim().min(1).max(100),
  assignment: z.enum(ASSIGNMENT_STRATEGIES),
  leadId: z.uuid().nullable(),
};
/** Global admins name the tenant a group or canned reply is for; none: shared by every tenant. */
const ownerTenant = z.uuid().nullable().optional();
const group = z.strictObject({
  ...groupFields,
  assignment: groupFields.assignment.default('manual'),
  leadId: groupFields.leadId.default(null),
  tenantId: ownerTenant,
});
const groupPatch = z.strictObject(groupFields).partial();
const member = z.strictObject({ away: z.boolean().default(false) });
const cannedFields = {
  name: z.string().trim().min(1).max(100),
  body: z.string().trim().min(1).max(20_000),
};
const canned = z.strictObject({ ...cannedFields, tenantId: ownerTenant });
const cannedPatch = z.strictObject(cannedFields).partial();
const settingsQuery = z.strictObject({ tenantId: z.uuid().optional() });
const settingsBody = z.strictObject({ tenantId: z.uuid().optional(), language: z.enum(LANGUAGES) });

const idParams = z.object({ id: z.uuid() });
const memberParams = z.object({ id: z.uuid(), userId: z.uuid() });
const tags = ['helpdesk'];

export interface HelpdeskAdminServices extends SlaRouteServices {
  groups: SupportGroupService;
  settings: HelpdeskSettingsService;
  sla: SlaService;
  conversation: TicketConversationService;
  availability: AvailabilityService;
}

/**
 * Support groups and canned replies here; SLA calendars, policies and link availability in
 * sla.routes.ts, on the same router. Who may change them is the route table's
 * (identity/route-permissions.ts).
 */
export function helpdeskAdminRoutes(s: HelpdeskAdminServices): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/api/v1' });
  const tenant = (ctx: { state: AppState }) => ctx.state.user.tenantId;

  defineRoute(
    router,
    {
      method: 'get',
      path: '/support-groups',
      summary: 'The support groups',
      tags,
      responses: { 200: { description: 'The groups', schema: itemsOf(supportGroup) } },
    },
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
      tags,
      params: idParams,
      responses: { 200: { description: 'The group', schema: groupWithMembers } },
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
      tags,
      responses: {
        201: { description: 'Created', schema: z.object({ group: supportGroup }) },
      },
      body: group,
    },
    async (ctx, read) => {
      const { tenantId, ...values } = read.body();
      const owner = s.settings.ownerOf(ctx.state.user, tenantId);
      await s.settings.assertTenant(owner);
      ctx.status = 201;
      ctx.body = { group: await s.groups.create(owner, values) };
    },
  );
  defineRoute(
    router,
    {
      method: 'patch',
      path: '/support-groups/:id',
      summary: 'Changes a support group',
      tags,
      params: idParams,
      responses: { 200: { description: 'The group', schema: groupWithMembers } },
      body: groupPatch,
    },
    async (ctx, read) => {
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
      tags,
      params: idParams,
      responses: { 204: { description: 'Done' } },
    },
    async (ctx) => {
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
      summary: 'Adds a member or sets them away (members may set their own flag)',
      tags,
      params: memberParams,
      responses: { 200: { description: 'The group', schema: groupWithMembers } },
      body: member,
    },
    async (ctx, read) => {
      const userId = id(ctx.params.userId, 'user');
      // Setting another member's flag, or adding a member, is helpdesk admin work.
      if (userId !== ctx.state.user.id && !ctx.state.access.permissions.has('sla.manage'))
        throw apiError(403, 'BW_ERR_FORBIDDEN', 'this needs the sla.manage permission');
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
      tags,
      params: memberParams,
      responses: { 204: { description: 'Done' } },
    },
    async (ctx) => {
      const groupId = id(ctx.params.id, 'support group');
      await s.groups.removeMember(groupId, tenant(ctx), id(ctx.params.userId, 'user'));
      ctx.status = 204;
    },
  );

  defineRoute(
    router,
    {
      method: 'get',
      path: '/canned-replies',
      summary: 'The canned replies',
      tags,
      responses: { 200: { description: 'The replies', schema: itemsOf(cannedReply) } },
    },
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
      tags,
      responses: {
        201: { description: 'Created', schema: z.object({ cannedReply }) },
      },
      body: canned,
    },
    async (ctx, read) => {
      const input = read.body();
      const owner = s.settings.ownerOf(ctx.state.user, input.tenantId);
      await s.settings.assertTenant(owner);
      ctx.status = 201;
      ctx.body = {
        cannedReply: await s.conversation.createCannedReply(owner, input.name, input.body),
      };
    },
  );
  defineRoute(
    router,
    {
      method: 'patch',
      path: '/canned-replies/:id',
      summary: 'Changes a canned reply',
      tags,
      params: idParams,
      body: cannedPatch,
      responses: {
        200: { description: 'The reply as it is now', schema: z.object({ cannedReply }) },
      },
    },
    async (ctx, read) => {
      const input = read.body();
      ctx.body = {
        cannedReply: await s.conversation.updateCannedReply(
          id(ctx.params.id, 'canned reply'),
          tenant(ctx),
          input,
        ),
      };
    },
  );
  defineRoute(
    router,
    {
      method: 'delete',
      path: '/canned-replies/:id',
      summary: 'Removes a canned reply',
      tags,
      params: idParams,
      responses: { 204: { description: 'Done' } },
    },
    async (ctx) => {
      await s.conversation.removeCannedReply(id(ctx.params.id, 'canned reply'), tenant(ctx));
      ctx.status = 204;
    },
  );

  defineRoute(
    router,
    {
      method: 'get',
      path: '/assignees',
      summary:
        'The people a ticket can be assigned to: users who may work tickets, of the tenant ' +
        'and global ones',
      tags,
      responses: { 200: { description: 'The people, by username', schema: itemsOf(assignee) } },
    },
    async (ctx) => {
      ctx.body = { items: await s.groups.assignees(tenant(ctx)) };
    },
  );
  defineRoute(
    router,
    {
      method: 'get',
      path: '/helpdesk/settings',
      summary: "A tenant's helpdesk settings (global admins name the tenant)",
      tags,
      query: settingsQuery,
      responses: { 200: { description: 'The settings', schema: helpdeskSettings } },
    },
    async (ctx, read) => {
      ctx.body = await s.settings.get(ctx.state.user, read.query().tenantId);
    },
  );
  defineRoute(
    router,
    {
      method: 'put',
      path: '/helpdesk/settings',
      summary: "Saves a tenant's helpdesk settings: the language of the ticket text the hub writes",
      tags,
      body: settingsBody,
      responses: { 200: { description: 'As saved', schema: helpdeskSettings } },
    },
    async (ctx, read) => {
      ctx.body = await s.settings.save(ctx.state.user, read.body());
    },
  );

  slaRoutes(router, s);
  return router;
}
