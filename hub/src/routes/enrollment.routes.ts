import { createReadStream } from 'node:fs';
import { Router } from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import { apiError } from '../errors.js';
import type { AppState } from '../middleware/session.js';
import { UPDATE_STATES, type AgentUpdateService } from '../services/agent-update.service.js';
import type { EnrollmentService } from '../services/enrollment.service.js';
import { isReleaseName } from '../services/release-store.js';
import { installScript } from './install-script.js';
import { parseInput } from './validate.js';

export interface EnrollmentServices {
  enrollment: EnrollmentService;
  agentUpdates: AgentUpdateService;
}

const newToken = z.strictObject({
  branchId: z.uuid(),
  agentSlug: z.string().optional(),
  expiresInMinutes: z
    .number()
    .int()
    .min(1)
    .max(30 * 24 * 60)
    .optional(),
});
const enrollment = z.strictObject({
  token: z.string().min(1).max(200),
  name: z.string().min(1).max(200).optional(),
});
const updateReport = z.strictObject({
  version: z.string().min(1).max(64),
  state: z.enum(UPDATE_STATES),
  detail: z.string().max(2000).optional(),
});
const newGroup = z.strictObject({
  name: z.string().min(1).max(100),
  tenantId: z.uuid().optional(),
  branchIds: z.array(z.uuid()).default([]),
});
const groupTarget = z.strictObject({ targetVersion: z.string().min(1).max(64).nullable() });

const MAX_RELEASE_BYTES = 300 * 1024 * 1024;

/**
 * What a branch server calls without a session: enrollment with a one-time token, the install
 * script, release downloads (signed: agents verify them), and the update check and report
 * (with the agent's own credentials). Registered before the session guard in app.ts.
 */
export function enrollmentPublicRoutes(
  services: EnrollmentServices,
  mqttUrlFor: (requestHost: string) => string,
): Router<AppState> {
  const router = new Router<AppState>();
  const updates = services.agentUpdates;

  router.post('/api/v1/enroll', async (ctx) => {
    const input = parseInput(enrollment, ctx.request.body);
    const issued = await services.enrollment.enroll(
      input.token,
      input.name,
      mqttUrlFor(ctx.hostname),
      originOf(ctx),
    );
    const { address } = issued.agent;
    ctx.status = 201;
    ctx.body = {
      agent: {
        id: issued.agent.id,
        tenant: address.tenant,
        branch: address.branch,
        slug: address.agent,
      },
      config: issued.config,
    };
  });

  router.get('/install.sh', (ctx) => {
    ctx.type = 'text/x-shellscript';
    ctx.body = installScript(originOf(ctx));
  });

  router.get('/downloads/agent/deb/:arch', async (ctx) => {
    const deb = await updates.latestDeb(ctx.params.arch!);
    if (!deb)
      throw apiError(
        404,
        'BW_ERR_NOT_FOUND',
        `no agent package for ${ctx.params.arch} on this hub`,
      );
    sendFile(ctx, deb, 'application/vnd.debian.binary-package');
  });

  router.get('/downloads/agent/:version/:platform', async (ctx) => {
    const release = await updates.release(ctx.params.version!, ctx.params.platform!);
    if (!release) throw apiError(404, 'BW_ERR_NOT_FOUND', 'no such agent release');
    sendFile(ctx, release.file, 'application/octet-stream');
  });

  router.get('/api/v1/agent-updates/check', async (ctx) => {
    const agent = await updates.authenticate(ctx.get('authorization'));
    const platform = String(ctx.query.platform ?? '');
    const target = await updates.target(agent, platform);
    ctx.body = {
      target: target && {
        ...target,
        download: `/downloads/agent/${target.version}/${target.platform}`,
      },
    };
  });

  router.post('/api/v1/agent-updates/report', async (ctx) => {
    const agent = await updates.authenticate(ctx.get('authorization'));
    await updates.report(agent, parseInput(updateReport, ctx.request.body));
    ctx.status = 204;
  });

  return router;
}

/** Admin routes: enrollment tokens, release uploads, rollout groups and update states. */
export function enrollmentRoutes(services: EnrollmentServices): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/api/v1' });
  const updates = services.agentUpdates;
  const admin = async (ctx: Context & { state: AppState }, next: () => Promise<unknown>) => {
    const { role } = ctx.state.user;
    if (role !== 'admin' && role !== 'tenant_admin')
      throw apiError(403, 'BW_ERR_FORBIDDEN', 'admins only');
    await next();
  };

  router.post('/enrollment-tokens', admin, async (ctx) => {
    const input = parseInput(newToken, ctx.request.body);
    ctx.status = 201;
    ctx.body = await services.enrollment.createToken(ctx.state.user, input, originOf(ctx));
  });

  router.get('/agent-releases', admin, async (ctx) => {
    ctx.body = { items: (await updates.listReleases()).map(({ file: _file, ...r }) => r) };
  });

  // The binary as the body; its signature (from `pnpm release:sign`) in a header.
  router.put('/agent-releases/:version/:platform', admin, async (ctx) => {
    const { version, platform } = ctx.params as { version: string; platform: string };
    const signature = ctx.get('x-bw-signature');
    if (!isReleaseName(version) || !isReleaseName(platform) || !signature) {
      throw apiError(
        400,
        'BW_ERR_VALIDATION',
        'needs a version, a platform and an X-BW-Signature header',
      );
    }
    const { file: _file, ...release } = await updates.upload(
      version,
      platform,
      await readBody(ctx),
      signature,
    );
    ctx.status = 201;
    ctx.body = { release };
  });

  router.post('/rollout-groups', admin, async (ctx) => {
    ctx.status = 201;
    ctx.body = {
      group: await updates.createGroup(ctx.state.user, parseInput(newGroup, ctx.request.body)),
    };
  });

  router.put('/rollout-groups/:id/target', admin, async (ctx) => {
    const { targetVersion } = parseInput(groupTarget, ctx.request.body);
    ctx.body = {
      group: await updates.setTarget(
        ctx.state.user,
        parseInput(z.uuid(), ctx.params.id),
        targetVersion,
      ),
    };
  });

  router.get('/agents/:id/update', admin, async (ctx) => {
    ctx.body = { update: (await updates.lastReport(parseInput(z.uuid(), ctx.params.id))) ?? null };
  });

  return router;
}

function sendFile(ctx: Context, file: string, type: string) {
  ctx.type = type;
  ctx.body = createReadStream(file);
}

async function readBody(ctx: Context): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_RELEASE_BYTES) throw apiError(413, 'BW_ERR_VALIDATION', 'release too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** The hub's address as the caller used it (app.proxy: X-Forwarded-Proto and -Host count). */
const originOf = (ctx: Context) => `${ctx.protocol}://${ctx.host}`;
