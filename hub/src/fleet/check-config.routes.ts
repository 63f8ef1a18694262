import { Router } from '@koa/router';
import { z } from 'zod';
import {
  CHECK_RULES,
  DEFAULT_CHECK_DEFAULTS,
  TOPIC_SEGMENT,
  checkOptionFields,
  checkSpec,
  type ProbeType,
} from '@branchwatch/contract';
import { SEVERITIES, severityOf } from '@branchwatch/api';
import { notFound } from '../http/errors.js';
import type { AgentConfigService } from './agent-config.service.js';
import { checkView } from './fleet.views.js';
import { defineRoute } from '../http/define.js';
import { agentConfigAnswer, checkAnswer } from './inventory.schemas.js';
import type { AppState } from '../http/request-state.js';

// The schedule's bounds and words are the contract's; the type, target and options are judged
// by the contract's rules for the type (AgentConfigService), as the agent judges them.
const interval = checkSpec.shape.intervalSeconds.unwrap();
const timeout = checkSpec.shape.timeoutSeconds.unwrap();
const specFields = {
  type: z.string(),
  target: z.string(),
  intervalSeconds: interval.optional(),
  timeoutSeconds: timeout.optional(),
  options: z.record(z.string(), z.unknown()).optional(),
};

const newCheck = z.strictObject({
  key: z.string().regex(TOPIC_SEGMENT, 'must be 1-63 of a-z, 0-9, "-", "_"'),
  ...specFields,
});

const changedCheck = z.strictObject({
  type: specFields.type.optional(),
  target: specFields.target.optional(),
  /** null: back to the agent's default. */
  intervalSeconds: interval.nullable().optional(),
  timeoutSeconds: timeout.nullable().optional(),
  options: specFields.options,
});

const idParams = z.object({ id: z.uuid() });

const checkTypesAnswer = z.object({
  /** The agent's schedule when its file sets none. */
  defaults: z.object({ intervalSeconds: z.number(), timeoutSeconds: z.number() }),
  items: z.array(
    z.object({
      type: z.string(),
      severity: z.enum(SEVERITIES),
      options: z.array(
        z.object({
          name: z.string(),
          kind: z.enum(['number', 'boolean', 'choice', 'text', 'secret']),
          integer: z.boolean().optional(),
          min: z.number().optional(),
          max: z.number().optional(),
          default: z.union([z.number(), z.boolean(), z.string()]).optional(),
          choices: z.array(z.string()).optional(),
          unit: z.enum(['ms', 's', 'bytes']).optional(),
        }),
      ),
    }),
  ),
});

const uuid = (value: string | undefined, what: string) => {
  if (!z.uuid().safeParse(value).success) {
    throw notFound('BW_ERR_NOT_FOUND', `${what} ${value} does not exist`);
  }
  return value!;
};

/** Checks managed through the hub; each change is pushed to the agent as its config. */
export function checkConfigRoutes(configs: AgentConfigService): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/api/v1' });

  defineRoute(
    router,
    {
      method: 'get',
      path: '/check-types',
      summary: 'Every check type with the options a form can offer (bounds, defaults, units)',
      tags: ['checks'],
      responses: { 200: { description: 'The check types', schema: checkTypesAnswer } },
    },
    (ctx) => {
      ctx.body = {
        defaults: DEFAULT_CHECK_DEFAULTS,
        items: (Object.keys(CHECK_RULES) as ProbeType[]).map((type) => ({
          type,
          severity: severityOf({ type }),
          options: checkOptionFields(type),
        })),
      };
    },
  );

  defineRoute(
    router,
    {
      method: 'get',
      path: '/agents/:id/config',
      summary: 'The config the hub pushes to the agent',
      tags: ['checks'],
      params: idParams,
      responses: {
        200: {
          description: 'The config and what the agent reported about it',
          schema: agentConfigAnswer,
        },
      },
    },
    async (ctx) => {
      const id = uuid(ctx.params.id, 'agent');
      ctx.body = await configs.configOf(id, ctx.state.user.tenantId);
    },
  );

  defineRoute(
    router,
    {
      method: 'post',
      path: '/agents/:id/checks',
      summary: 'Adds a managed check to an agent',
      tags: ['checks'],
      params: idParams,
      responses: {
        201: { description: 'Created', schema: z.object({ check: checkAnswer }) },
      },
      body: newCheck,
    },
    async (ctx, read) => {
      const id = uuid(ctx.params.id, 'agent');
      const spec = read.body();
      const check = await configs.addCheck(id, spec, ctx.state.user.tenantId);
      ctx.status = 201;
      ctx.body = { check: checkView(check) };
    },
  );

  defineRoute(
    router,
    {
      method: 'patch',
      path: '/checks/:id',
      summary: 'Changes a managed check',
      tags: ['checks'],
      params: idParams,
      body: changedCheck,
      responses: { 200: { description: 'The check', schema: z.object({ check: checkAnswer }) } },
    },
    async (ctx, read) => {
      const id = uuid(ctx.params.id, 'check');
      const change = read.body();
      ctx.body = {
        check: checkView(await configs.changeCheck(id, change, ctx.state.user.tenantId)),
      };
    },
  );

  defineRoute(
    router,
    {
      method: 'delete',
      path: '/checks/:id',
      summary: 'Removes a managed check',
      tags: ['checks'],
      params: idParams,
      responses: { 204: { description: 'Done' } },
    },
    async (ctx) => {
      await configs.removeCheck(uuid(ctx.params.id, 'check'), ctx.state.user.tenantId);
      ctx.status = 204;
    },
  );

  return router;
}
