import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { Router } from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import { apiError } from '../../http/errors.js';
import { UPDATE_STATES, type AgentUpdateService } from './agent-update.service.js';
import type { EnrollmentService } from './enrollment.service.js';
import { isReleaseName } from './release-store.js';
import { installScript } from './install-script.js';
import { defineRoute } from '../../http/define.js';
import { fileContent, itemsOf } from '../../http/schemas.js';
import {
  enrolled,
  enrollmentToken,
  release as releaseAnswer,
  rolloutGroup,
  updateReport,
  updateTarget,
} from './enrollment.schemas.js';
import { parseInput } from '../../http/validate.js';
import type { AppState } from '../../http/request-state.js';
import type { PublicAddress } from '../../http/public-address.js';

export interface EnrollmentServices {
  enrollment: EnrollmentService;
  agentUpdates: AgentUpdateService;
}

/** The architectures the agent is built and packaged for (docs/agent-install.md). */
const DEB_ARCHITECTURES = ['amd64', 'arm64'] as const;

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
const updateReportBody = z.strictObject({
  version: z.string().min(1).max(64),
  state: z.enum(UPDATE_STATES),
  detail: z.string().max(2000).optional(),
});
const newGroup = z.strictObject({
  name: z.string().min(1).max(100),
  tenantId: z.uuid().optional(),
  branchIds: z.array(z.uuid()).default([]),
});
const idParams = z.object({ id: z.uuid() });
const groupTarget = z.strictObject({ targetVersion: z.string().min(1).max(64).nullable() });

const MAX_RELEASE_BYTES = 300 * 1024 * 1024;

/**
 * What a branch server calls without a session: enrollment with a one-time token, the install
 * script, release downloads (signed: agents verify them), and the update check and report
 * (with the agent's own credentials). Registered before the session guard in app.ts.
 */
export function enrollmentPublicRoutes(
  services: EnrollmentServices,
  hubAddress: PublicAddress,
): Router<AppState> {
  const router = new Router<AppState>();
  const updates = services.agentUpdates;
  const tags = ['enrollment'];

  defineRoute(
    router,
    {
      method: 'post',
      path: '/api/v1/enroll',
      summary: 'Enrolls a branch server with a one-time token',
      tags,
      public: true,
      body: enrollment,
      responses: {
        201: { description: 'The agent and its config with credentials', schema: enrolled },
      },
    },
    async (ctx, read) => {
      const input = read.body();
      const issued = await services.enrollment.enroll(
        input.token,
        input.name,
        hubAddress.mqttUrl(ctx),
        hubAddress.origin(ctx),
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
    },
  );

  defineRoute(
    router,
    {
      method: 'get',
      path: '/install.sh',
      summary: 'The agent install script, pointed at this hub',
      tags,
      public: true,
      responses: {
        200: {
          description: 'A POSIX shell script',
          contentType: 'text/x-shellscript',
          schema: z.string(),
        },
      },
    },
    (ctx) => {
      ctx.type = 'text/x-shellscript';
      ctx.body = installScript(hubAddress.origin(ctx));
    },
  );

  defineRoute(
    router,
    {
      method: 'get',
      path: '/downloads/agent/deb/:arch',
      summary: 'The newest agent .deb for an architecture',
      tags,
      public: true,
      params: z.object({ arch: z.string() }),
      responses: {
        200: {
          description: 'The package',
          contentType: 'application/vnd.debian.binary-package',
          schema: fileContent,
        },
      },
    },
    async (ctx) => {
      const deb = await updates.latestDeb(ctx.params.arch!);
      if (!deb)
        throw apiError(
          404,
          'BW_ERR_NOT_FOUND',
          `no agent package for ${ctx.params.arch} on this hub`,
        );
      sendFile(ctx, deb, 'application/vnd.debian.binary-package');
    },
  );

  defineRoute(
    router,
    {
      method: 'get',
      path: '/downloads/agent/:version/:platform',
      summary: 'An agent release binary (signed: agents verify it)',
      tags,
      public: true,
      params: z.object({ version: z.string(), platform: z.string() }),
      responses: {
        200: {
          description: 'The binary',
          contentType: 'application/octet-stream',
          schema: fileContent,
        },
      },
    },
    async (ctx) => {
      const release = await updates.release(ctx.params.version!, ctx.params.platform!);
      if (!release) throw apiError(404, 'BW_ERR_NOT_FOUND', 'no such agent release');
      sendFile(ctx, release.file, 'application/octet-stream');
    },
  );

  defineRoute(
    router,
    {
      method: 'get',
      path: '/api/v1/agent-updates/check',
      summary: "An agent asks for its update target (with the agent's own credentials)",
      tags,
      public: true,
      query: z.object({ platform: z.string().optional() }),
      responses: {
        200: { description: 'The release to install, or null', schema: updateTarget },
      },
    },
    async (ctx) => {
      const agent = await updates.authenticate(ctx.get('authorization'));
      const platform = String(ctx.query.platform ?? '');
      const target = await updates.target(agent, platform);
      ctx.body = {
        target: target && {
          ...target,
          download: `/downloads/agent/${target.version}/${target.platform}`,
        },
      };
    },
  );

  defineRoute(
    router,
    {
      method: 'post',
      path: '/api/v1/agent-updates/report',
      summary: 'An agent reports how an update went',
      tags,
      public: true,
      body: updateReportBody,
      responses: { 204: { description: 'Recorded' } },
    },
    async (ctx, read) => {
      const agent = await updates.authenticate(ctx.get('authorization'));
      await updates.report(agent, read.body());
      ctx.status = 204;
    },
  );

  return router;
}

/**
 * Enrollment tokens, release uploads, rollout groups and update states. Who may use them is
 * the route table's (identity/route-permissions.ts).
 */
export function enrollmentRoutes(
  services: EnrollmentServices,
  hubAddress: PublicAddress,
): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/api/v1' });
  const updates = services.agentUpdates;
  const tags = ['enrollment'];

  defineRoute(
    router,
    {
      method: 'post',
      path: '/enrollment-tokens',
      summary: 'Issues a one-time enrollment token for a branch',
      tags,
      body: newToken,
      responses: {
        201: { description: 'The token and the commands that use it', schema: enrollmentToken },
      },
    },
    async (ctx, read) => {
      const input = read.body();
      ctx.status = 201;
      const issued = await services.enrollment.createToken(
        ctx.state.user,
        input,
        hubAddress.origin(ctx),
      );
      const packages: string[] = [];
      for (const arch of DEB_ARCHITECTURES) {
        if (await services.agentUpdates.latestDeb(arch)) packages.push(arch);
      }
      ctx.body = { ...issued, packages };
    },
  );

  defineRoute(
    router,
    {
      method: 'get',
      path: '/agent-releases',
      summary: 'The agent releases this hub holds',
      tags,
      responses: { 200: { description: 'The releases', schema: itemsOf(releaseAnswer) } },
    },
    async (ctx) => {
      ctx.body = { items: (await updates.listReleases()).map(({ file: _file, ...r }) => r) };
    },
  );

  // The binary as the body; its signature (from `pnpm release:sign`) in a header.
  defineRoute(
    router,
    {
      method: 'put',
      path: '/agent-releases/:version/:platform',
      summary: 'Uploads an agent release; its signature goes in X-BW-Signature',
      tags,
      params: z.object({ version: z.string(), platform: z.string() }),
      rawBody: {
        contentType: 'application/octet-stream',
        description: 'The binary (at most 300 MiB)',
        maxBytes: MAX_RELEASE_BYTES,
      },
      responses: {
        201: { description: 'The release', schema: z.object({ release: releaseAnswer }) },
      },
    },
    async (ctx) => {
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
    },
  );

  defineRoute(
    router,
    {
      method: 'post',
      path: '/rollout-groups',
      summary: 'Creates a rollout group of branches',
      tags,
      body: newGroup,
      responses: { 201: { description: 'The group', schema: z.object({ group: rolloutGroup }) } },
    },
    async (ctx, read) => {
      ctx.status = 201;
      ctx.body = { group: await updates.createGroup(ctx.state.user, read.body()) };
    },
  );

  defineRoute(
    router,
    {
      method: 'put',
      path: '/rollout-groups/:id/target',
      summary: "Sets the agent version a rollout group's branches update to (null: none)",
      tags,
      params: idParams,
      body: groupTarget,
      responses: { 200: { description: 'The group', schema: z.object({ group: rolloutGroup }) } },
    },
    async (ctx, read) => {
      const { targetVersion } = read.body();
      ctx.body = {
        group: await updates.setTarget(
          ctx.state.user,
          parseInput(z.uuid(), ctx.params.id),
          targetVersion,
        ),
      };
    },
  );

  defineRoute(
    router,
    {
      method: 'get',
      path: '/agents/:id/update',
      summary: "An agent's last update report",
      tags,
      params: idParams,
      responses: {
        200: {
          description: 'The report, or null',
          schema: z.object({ update: updateReport.nullable() }),
        },
      },
    },
    async (ctx) => {
      ctx.body = {
        update: (await updates.lastReport(parseInput(z.uuid(), ctx.params.id))) ?? null,
      };
    },
  );

  return router;
}

function sendFile(ctx: Context, file: string, type: string) {
  ctx.type = type;
  ctx.body = createReadStream(file);
}

async function readBody(ctx: Context): Promise<Buffer> {
  // Received before the request's transaction began (http/staged-upload.ts).
  const staged = (ctx.state as AppState).upload;
  if (staged) return readFile(staged.path);
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
